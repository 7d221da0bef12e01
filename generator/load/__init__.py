"""The load stage: find the catalog's files, read each untrusted YAML file, and keep where every value
came from, so later stages can report problems by file, line and column.

PyYAML's own loaders silently keep the last of two duplicate keys and expand aliases (a billion-laughs
risk); this loader builds values from the parser's events instead, refusing both.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import yaml
from yaml import events as ev

from .problems import Problem, problem

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - LibYAML missing: same results, slower
    from yaml import SafeLoader as _Loader

MAX_BYTES = 256 * 1024
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}

FieldPath = tuple[str | int, ...]

_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str": None,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": None,  # dates stay text; the checks parse them strictly
}
_FULLWIDTH_COLON = re.compile(r"^[ \u3000]*(?:- )?[A-Za-z_][A-Za-z0-9_]*[ \u3000]*：")
_MISSING_SPACE = re.compile(r"^ *(?:- )?[a-z_][a-z0-9_]*:[^\s/:'\"]")
# libyaml's problems (PyYAML's pure-Python parser words them the same way), each in Chinese: no English
# parser text reaches a contributor. Matched in order on "context problem".
_YAML_HINTS = (
    ("maximum nesting depth", "嵌套层数过多（方括号、花括号或缩进超过了上限）。条目最多只需要三四层：请检查括号是否成对。"),
    ("mapping values are not allowed", "这里不能出现冒号：文字中含有冒号时，请把整段文字用英文引号括起来。"),
    ("mapping keys are not allowed", "这里不能出现 `? `：文字以问号开头时，请加引号。"),
    ("could not find expected ':'", "缺少冒号，或这一行的缩进与上一行不一致。"),
    ("did not find expected key", "缩进不一致：同一层级的字段要对齐。"),
    ("did not find expected '-' indicator", "列表项的缩进不一致：每个 `- ` 要对齐。"),
    ("did not find expected ',' or ']'", "方括号 `[` 没有对应的 `]`，或列表项之间缺少英文逗号。"),
    ("did not find expected ',' or '}'", "花括号 `{` 没有对应的 `}`，或字段之间缺少英文逗号。"),
    ("quoted scalar found unexpected end", "引号没有成对：从这里开始的引号一直没有结束。"),
    ("found unexpected end of stream", "引号或括号没有成对，或多行文字缺少 `|`。"),
    ("found undefined alias", "不允许使用 `*` 开头的别名；若是文字，请加引号。"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 要写成 \\\\，或改用单引号。"),
    ("expected hexdecimal number", "双引号中的 `\\x`、`\\u` 后应是十六进制数字：要写反斜杠本身请写成 \\\\，或改用单引号。"),
    ("invalid Unicode character escape", "双引号中的 `\\u` 转义不代表任何字符：删除它，直接写出文字。"),
    ("while scanning an anchor", "`&` 开头的文字要加引号。"),
    ("while scanning an alias", "`*` 开头的文字要加引号。"),
    ("while scanning a tag", "`!` 开头的文字要加引号。"),
    ("indentation indicator equal to 0", "`|` 或 `>` 后面不能写 0：直接换行写文字。"),
    ("tab character", "这里用了 Tab：YAML 只能用空格缩进。"),
    ("found another document", "一个文件只能有一份内容：删除 `---` 分隔线及其后的内容。"),
    ("found unexpected document indicator", "行首的 `---` 或 `...` 会被当作文件分隔线：要写这些符号请加引号。"),
    ("expected <document start>", "一个文件只能有一份内容：删除 `...` 或 `---` 之后的内容。"),
    ("%YAML directive", "删除以 `%` 开头的行。"),
    ("%TAG directive", "删除以 `%` 开头的行。"),
    ("undefined tag handle", "`!` 开头的文字要加引号。"),
    ("expected a scalar node", "这里写了标签，随后却是一组字段：删除 `!` 开头的标签。"),
    ("expected <block end>, but found '-'", "列表项的缩进与上一行不一致。"),
    ("block sequence entries are not allowed", "这里不能开始一个列表：`- ` 应另起一行，并比字段名多缩进两个空格。"),
    ("while scanning a quoted scalar", "引号没有成对。"),
    ("did not find expected node content", "这里缺少值：检查逗号、冒号和括号。"),
    ("did not find expected comment or line break", "引号或 `|`、`>` 之后不能再写文字：把整段文字放进引号里。"),
    ("while scanning a block scalar", "`|` 或 `>` 之后要换行再写文字，并比字段名多缩进两个空格。"),
)
_TOKEN_STARTS = {"@": "以 @ 开头的文字要加引号。", "`": "以 ` 开头的文字要加引号。", "%": "以 % 开头的文字要加引号。",
                 "\t": "这里用了 Tab：YAML 只能用空格缩进，把 Tab 换成空格。"}
_YAML_FALLBACK = "这里的 YAML 写法有误：检查这一行及上一行的缩进、冒号、引号和括号。"


@dataclass
class Document:
    """One parsed file: its data and the 1-based (line, column) of every value and key in it."""

    path: Path
    rel: str
    data: Any
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: FieldPath = (), key: bool = False) -> tuple[int, int]:
        """The position of a value (or of its key), else of its nearest located ancestor."""
        if key and path in self.key_marks:
            return self.key_marks[path]
        while path not in self.marks and path:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def strings(self) -> Iterator[tuple[FieldPath, str]]:
        """Every text value in the file with its field path: for checks that read all free text."""
        stack: list[tuple[FieldPath, Any]] = [((), self.data)]
        while stack:
            at, value = stack.pop()
            if isinstance(value, str):
                yield at, value
            elif isinstance(value, dict):
                stack.extend((at + (k,), v) for k, v in reversed(value.items()))
            elif isinstance(value, list):
                stack.extend((at + (i,), v) for i, v in reversed(list(enumerate(value))))

    def problem(self, code: str, path: FieldPath, message: str, key: bool = False) -> Problem:
        line, column = self.where(path, key)
        return problem(code, self.rel, line, column, message, format_path(path))


def format_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file, refusing (OSError) a symbolic link or anything else even if it
    replaced the file after discovery: opened without following links, checked on the open handle."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_BYTES + 1)
    finally:
        os.close(fd)


def read(path: Path, rel: str, raw: bytes | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file (or its bytes `raw`, already read from `path`). Returns no document when the
    file cannot be trusted to mean anything."""
    if raw is None:
        try:
            raw = read_regular(path)
        except OSError:
            return None, [problem("JL110", rel, 1, 1, "这不是一个可以读取的普通文件（可能是符号链接）。")]
    if len(raw) > MAX_BYTES:
        size = max(len(raw), path.lstat().st_size)
        return None, [problem("JL100", rel, 1, 1, f"文件有 {size // 1024} KB，超过上限 {MAX_BYTES // 1024} KB。")]
    text, problems = _decode(raw, rel)
    if text is None:
        return None, problems
    raw_problems = _raw_characters(text, rel)
    if raw_problems:
        return None, raw_problems
    indented = [n for n, line in enumerate(text.splitlines(), 1) if line.startswith("\u3000")]
    if indented:  # never legitimate: even block text must be indented with ASCII spaces first
        return None, [problem("JL104", rel, n, 1, "这一行以全角空格开头。") for n in indented]
    doc, problems = _build(path, rel, text)
    if doc is None and any(p.code in ("JL105", "JL108") for p in problems):
        hints = _scan_lines(text, rel)
        if hints:  # a typing mistake explains the parse failure better than the parser does
            return None, hints + [p for p in problems if p.code not in ("JL105", "JL108")]
    return doc, problems


def _decode(raw: bytes, rel: str) -> tuple[str | None, list[Problem]]:
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("gb18030")
            hint = "文件看起来是 GBK/GB18030 编码（Windows 记事本等编辑器的默认编码）。"
        except UnicodeDecodeError:
            hint = "文件中有无法识别的字节。"
        return None, [problem("JL101", rel, line, column, hint + "请另存为 UTF-8 编码。")]


# What YAML cannot read (outside its printable set) or reads as an extra line break (NEL, U+2028, U+2029),
# and noncharacters; found before parsing, where the parser would report them in English and, after an
# unusual line break, at the wrong line.
_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufdd0-\ufdef\ufffe\uffff"
                            + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17)) + "]")


def _raw_characters(text: str, rel: str) -> list[Problem]:
    found = []
    for match in _RAW_FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        ch = match.group()
        point = f"U+{ord(ch):04X}"
        if ch in "\u2028\u2029\x85":
            found.append(problem("JL113", rel, line, column, f"这里有一个不常见的换行符 {point}（常见于从网页或 Word 复制的文字），"
                                                             "它会让各个编辑器显示的行号不一致。"))
        elif ord(ch) < 0xA0:
            found.append(problem("JL113", rel, line, column, f"这里有一个看不见的控制字符 {point}。"))
        else:
            found.append(problem("JL114", rel, line, column, f"这里有一个 Unicode 非字符 {point}，它不代表任何文字。"))
        if len(found) >= 20:
            break
    return found


def _scan_lines(text: str, rel: str) -> list[Problem]:
    """Typing mistakes that make YAML fail with an obscure message. Only consulted after a parse
    failure: inside block text the same characters (a full-width indent, `步骤1:`) are legitimate."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" \t\u3000"))
        if "\t" in line[:indent]:
            found.append(problem("JL102", rel, number, line.index("\t") + 1, "这一行用 Tab 缩进。"))
        if "\u3000" in line[:indent]:
            found.append(problem("JL104", rel, number, line.index("\u3000") + 1, "这一行的缩进里有全角空格。"))
        match = _FULLWIDTH_COLON.match(line)
        if match:
            found.append(problem("JL103", rel, number, match.end(), "字段名后用了全角冒号 `:`（中文输入法）。"))
        elif _MISSING_SPACE.match(line):
            column = line.index(":") + 1
            found.append(problem("JL105", rel, number, column, "冒号后缺少空格：写成 `字段: 值`。"))
    return found


def _build(path: Path, rel: str, text: str) -> tuple[Document | None, list[Problem]]:
    doc = Document(path, rel, None)
    problems: list[Problem] = []
    stack: list[list] = []  # frames: [container, field path, pending key or None, where a flow mapping starts]

    def attach(value: Any, mark) -> None:
        if not stack:
            doc.data = value
            doc.marks[()] = mark
            return
        frame = stack[-1]
        container, parent = frame[0], frame[1]
        if isinstance(container, list):
            here = parent + (len(container),)
            container.append(value)
            doc.marks.setdefault(here, mark)
            return
        if frame[2] is None:
            frame[2] = (value, mark)
            return
        key, kmark = frame[2]
        frame[2] = None
        if not isinstance(key, str):
            problems.append(problem("JL105", rel, *kmark, "字段名必须是文字。", _fmt(parent)))
            return
        here = parent + (key,)
        if key in container:
            first = doc.key_marks[here][0]
            problems.append(problem("JL106", rel, *kmark,
                                    f"字段 `{key}` 重复出现（第一次在第 {first} 行）：后面的值会覆盖前面的值，造成内容丢失。",
                                    _fmt(here)))
            return
        container[key] = value
        doc.key_marks[here] = kmark
        doc.marks[here] = mark

    def current_path() -> FieldPath:
        if not stack:
            return ()
        container, parent, pending = stack[-1][:3]
        if isinstance(container, list):
            return parent + (len(container),)
        return parent + (pending[0],) if pending and isinstance(pending[0], str) else parent

    loader = _Loader(text)
    try:
        while True:
            event = loader.get_event()  # one call per event: yaml.parse() adds a check and a generator step
            if isinstance(event, ev.StreamEndEvent):
                break
            mark = (event.start_mark.line + 1, event.start_mark.column + 1) if event.start_mark else (1, 1)
            if isinstance(event, ev.AliasEvent) or getattr(event, "anchor", None):
                problems.append(problem("JL107", rel, *mark, "文件中使用了 YAML 锚点或别名。", _fmt(current_path())))
                if isinstance(event, ev.AliasEvent):
                    attach(None, mark)
                    continue
            if isinstance(event, ev.ScalarEvent):
                if stack and stack[-1][2] is not None and _split_by_comma(text, stack[-1], event):
                    key, container = stack[-1][2][0], stack[-1][0]
                    before = next(reversed(container), None)
                    whole = f"{container[before]},{key}" if before is not None else key
                    problems.append(problem("JL118", rel, *stack[-1][2][1],
                                            f"花括号中的英文逗号把文字分成了两段，逗号后的“{key}”被当成了字段名。"
                                            f"给整段文字加引号：`{before}: \"{whole}\"`。", _fmt(stack[-1][1])))
                attach(_scalar(event, rel, mark, problems), mark)
            elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                if event.tag and not event.implicit and event.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    problems.append(problem("JL109", rel, *mark, f"标签 `{event.tag}` 不受支持。"))
                container: dict | list = {} if isinstance(event, ev.MappingStartEvent) else []
                path_here = current_path()
                attach(container, mark)
                stack.append([container, path_here, None, event.start_mark.index if event.flow_style else None])
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, ev.DocumentStartEvent) and doc.marks:
                problems.append(problem("JL105", rel, *mark, "一个文件只能有一份内容：删除 `---` 分隔线及其后的内容。"))
                break
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        detail = f"{exc.context or ''} {exc.problem or ''}".strip()
        hint = _indent_hint(text, line)
        if hint:  # the mistake is the indentation: point at where the line's text starts
            column = _indent(text.split("\n")[line - 1]) + 1
        return None, problems + [problem("JL105", rel, line, column, hint or _syntax_hint(text, detail, where))]
    except yaml.YAMLError:
        return None, problems + [problem("JL105", rel, 1, 1, _YAML_FALLBACK)]
    finally:
        loader.dispose()
    if problems:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [problem("JL108", rel, 1, 1, "文件内容应是一组 `字段: 值`。")]
    return doc, []


def _split_by_comma(text: str, frame: list, value: ev.ScalarEvent) -> bool:
    """`{status: 关注, note: 逾期未报,已督促整改}`: in a flow mapping, an ASCII comma inside unquoted text
    ends the value, and the rest becomes a key without a value (no colon follows it)."""
    if not isinstance(frame[0], dict) or frame[3] is None or value.value or value.style:
        return False
    after = text[value.start_mark.index:].lstrip(" ")
    return after[:1] in (",", "}") and text[frame[3]:value.start_mark.index].rstrip(" ").endswith(str(frame[2][0]))


def _syntax_hint(text: str, detail: str, where) -> str:
    """The Chinese hint for a parser problem; never the parser's own English text."""
    if "cannot start any token" in detail and where is not None and where.index < len(text):
        return _TOKEN_STARTS.get(text[where.index], "这个符号不能作为值的开头：请给整段文字加引号。")
    return next((hint for needle, hint in _YAML_HINTS if needle in detail), _YAML_FALLBACK)


_KEY_LINE = re.compile(r"^ *([^\s:#'\"{\[-][^:]*?):(?:\s|$)")
_ITEM_LINE = re.compile(r"^( *- +)([^\s:#'\"{\[-][^:]*?):(?:\s|$)")


def _indent_hint(text: str, number: int) -> str:
    """A line indented differently from the lines it belongs with. The parser then reports something
    far from the real mistake (a `- ` that was right, a colon that is fine), so the hint names the key
    and by how many spaces it is off."""
    lines = text.splitlines()
    if not 1 < number <= len(lines):
        return ""
    line = lines[number - 1]
    depth = _indent(line)
    key = _KEY_LINE.match(line)
    if key:
        for prev in reversed(lines[: number - 1]):
            if not prev.strip() or prev.lstrip().startswith("#") or _indent(prev) > depth:
                continue
            item = _ITEM_LINE.match(prev)
            if item and _indent(prev) < depth != len(item.group(1)):
                off = depth - len(item.group(1))
                return (f"字段 `{key.group(1)}` 比同一列表项的第一个字段 `{item.group(2)}` {'多' if off > 0 else '少'}缩进了 "
                        f"{abs(off)} 个空格：列表项的各字段要与 `- ` 后的第一个字段左端对齐（`- ` 本身的位置是对的）。")
            break
    above = next((l for l in reversed(lines[: number - 1]) if l.strip() and not l.lstrip().startswith("#")), "")
    above_depth = _indent(above)
    opens_block = above.rstrip().endswith((":", "|", ">", "|-", ">-"))
    list_item = above.lstrip().startswith("- ") and depth <= above_depth + 2
    if above and not opens_block and not list_item and depth > above_depth:
        return f"这一行比上一行多缩进了 {depth - above_depth} 个空格：同一层级的字段要左端对齐。"
    return ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _fmt(path: FieldPath) -> str:
    return format_path(path)


_RESOLVED: dict[tuple[str, tuple[bool, bool]], str] = {}  # short plain scalars (field names, terms, dates) recur


def _scalar(event: ev.ScalarEvent, rel: str, mark, problems: list[Problem]) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        key = (event.value, event.implicit) if len(event.value) < 32 else None
        tag = _RESOLVED.get(key) if key else None
        if tag is None:
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
            if key and len(_RESOLVED) < 65536:
                _RESOLVED[key] = tag
    if tag == "tag:yaml.org,2002:merge":
        problems.append(problem("JL107", rel, *mark, "不允许使用 `<<` 合并字段。"))
        return None
    if tag not in _SCALAR_TAGS:
        problems.append(problem("JL109", rel, *mark, f"标签 `{tag}` 不受支持。"))
        return None
    construct = _SCALAR_TAGS[tag]
    if construct is None:
        return event.value
    try:
        return construct(yaml.ScalarNode(tag, event.value))
    except (ValueError, yaml.YAMLError):
        return event.value


# ---------------------------------------------------------------------------------------------
# Where files belong. Each kind of entry has one place in the tree; anything else is reported.

KIND_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("taxonomy", re.compile(r"^catalog/taxonomy\.yml$")),
    ("programme", re.compile(r"^catalog/programme\.yml$")),
    ("organization", re.compile(r"^catalog/organizations/(?P<org>[^/]+)/organization\.yml$")),
    ("figures", re.compile(r"^catalog/organizations/(?P<org>[^/]+)/figures\.yml$")),
    ("service", re.compile(r"^catalog/organizations/(?P<org>[^/]+)/services/(?P<stem>[^/]+)\.yml$")),
    ("resource", re.compile(r"^catalog/organizations/(?P<org>[^/]+)/resources/(?P<stem>[^/]+)\.yml$")),
    ("case", re.compile(r"^cases/(?P<org>[^/]+)/(?P<stem>[^/]+)\.yml$")),
)


@dataclass
class Source:
    """A file of the catalog with its kind as given by where it sits."""

    kind: str
    rel: str
    path: Path
    org: str | None = None
    stem: str | None = None
    named_badly: bool = False  # its file or folder name cannot be an id (already reported)


def classify(rel: str) -> Source | None:
    for kind, pattern in KIND_PATTERNS:
        m = pattern.match(rel)
        if m:
            groups = m.groupdict()
            return Source(kind, rel, Path(), groups.get("org"), groups.get("stem"))
    return None


def discover(root: Path) -> tuple[list[Source], list[Problem]]:
    """Every YAML source under catalog/ and cases/, sorted, and problems for files that do not belong.

    Nothing is followed: a symbolic link (to a file or a folder) or any other file that is not a regular
    file (a FIFO, a device, a socket) is refused, so a pull request can neither publish a file from
    outside the repository nor pass off another organization's entry as its own. Names that break a
    Windows checkout are refused before the file is read."""
    sources, problems = [], []
    for top in ("catalog", "cases"):
        base = root / top
        if base.is_symlink():
            problems.append(problem("JL110", top, 1, 1, _not_regular(base)))
            continue
        if not base.is_dir():
            continue
        for rel, path in _walk(root, base, problems):
            if any(part.startswith(".") for part in PurePosixPath(rel).parts) or path.name == "README.md":
                continue
            source = classify(rel)
            if source:
                source.path = path
                bad_name = _file_name_problem(source)
                if bad_name:
                    problems.append(bad_name)
                    source.named_badly = True
                sources.append(source)
            elif path.suffix.lower() == ".yaml":
                problems.append(problem("JL319", rel, 1, 1, "文件扩展名是 .yaml。"))
            elif path.suffix.lower() in IMAGE_SUFFIXES and _in_org_folder(rel):
                continue
            else:
                problems.append(problem("JL310" if path.suffix == ".yml" else "JL316", rel, 1, 1, _placement_hint(rel)))
    return sorted(sources, key=lambda s: s.path), problems


def _walk(root: Path, base: Path, problems: list[Problem]) -> Iterator[tuple[str, Path]]:
    """Regular files under `base` (relative path, path), from `lstat` only; everything else is a problem."""
    stack = [base]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            rel = folder.relative_to(root).as_posix()
            problems.append(problem("JL110", rel, 1, 1, "无法读取这个文件夹。"))
            continue
        folded: dict[str, str] = {}
        for entry in entries:
            path = Path(entry.path)
            rel = path.relative_to(root).as_posix()
            reserved = windows_name_problem(entry.name)
            twin = folded.setdefault(entry.name.casefold(), entry.name)
            if not reserved and twin != entry.name:
                reserved = f"与同一文件夹中的 `{twin}` 只有大小写不同：Windows 和 macOS 不区分大小写，两者会互相覆盖。"
            if reserved:
                problems.append(problem("JL111", rel, 1, 1, reserved))
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file(follow_symlinks=False):
                yield rel, path
            else:
                problems.append(problem("JL110", rel, 1, 1, _not_regular(path)))


def _not_regular(path: Path) -> str:
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return ("这是一个符号链接（快捷方式）。目录不跟随链接：链接可以指向仓库之外的文件或其他组织的条目，"
                "发布出去的就不是这里审核过的内容。")
    what = "命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字" if stat.S_ISSOCK(mode) else "设备文件" \
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "特殊文件"
    return f"这是一个{what}，不是普通文件。"


WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in "123456789\u00b9\u00b2\u00b3"),
                    *(f"lpt{i}" for i in "123456789\u00b9\u00b2\u00b3")}
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*\\\x00-\x1f]')


def windows_name_problem(name: str) -> str:
    """Why a file or folder name cannot be checked out on Windows (association staff use desktop git
    clients there), or "" when it can."""
    bad = _WINDOWS_FORBIDDEN.search(name)
    if bad:
        shown = {"\n": "换行", "\t": "Tab"}.get(bad.group(), f"`{bad.group()}`" if bad.group().isprintable() else "控制字符")
        return f"名称中含有 {shown}：Windows 上无法检出这个文件，其他人的电脑会同步失败。"
    if name.endswith((".", " ")):
        return "名称以句点或空格结尾：Windows 上无法检出这个文件。"
    if name.split(".", 1)[0].lower().rstrip(" ") in WINDOWS_RESERVED:
        return f"`{name.split('.', 1)[0]}` 是 Windows 的保留设备名：Windows 上无法检出这个文件。"
    return ""


_ID = re.compile(r"[a-z0-9][a-z0-9-]{1,62}")


def _file_name_problem(source: Source) -> Problem | None:
    """A folder or file name that cannot be the entry's id: named first, so the contributor renames
    the file rather than changing the id to match a name that can never be valid."""
    for name, what in ((source.org, "文件夹名"), (source.stem, "文件名")):
        if name is None or _ID.fullmatch(name):
            continue
        suggestion = slug(name)
        hint = f"，例如 `{suggestion}`" if suggestion and suggestion != name else ""
        return problem("JL112", source.rel, 1, 1,
                       f"{what} `{name}` 不能作为标识：{what}只能用小写英文字母、数字和连字符（2 到 63 个字符）{hint}。"
                       "改名后，文件中的 `id` 也写成同样的名字。")
    return None


def slug(text: str) -> str:
    """A lowercase ASCII identifier for `text`: Chinese characters by their pinyin (pypinyin), other
    letters folded to ASCII, everything else a hyphen."""
    from pypinyin import Style, lazy_pinyin

    words = lazy_pinyin(text, style=Style.NORMAL)
    ascii_text = unicodedata.normalize("NFKD", "-".join(words)).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:63].strip("-")
    return out if len(out) >= 2 else ""


def _in_org_folder(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return (parts[:2] == ("catalog", "organizations") and len(parts) > 3) or (parts[0] == "cases" and len(parts) > 2)


def _placement_hint(rel: str) -> str:
    if rel.endswith(".yml"):
        return ("这个位置不属于任何一种条目。服务产品放在 catalog/organizations/<组织标识>/services/,"
                "资源放在 .../resources/，案例放在 cases/<组织标识>/。")
    return "这个文件类型不能放在目录中（只接受 .yml 条目和 png/jpg/webp 图片）。"
