"""The load stage: find the catalog's files, read each untrusted YAML file, and keep where every value
came from, so later stages can report problems by file, line and column.

PyYAML's own loaders silently keep the last of two duplicate keys and expand aliases (a billion-laughs
risk); this loader builds values from the parser's events instead, refusing both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

import yaml
from yaml import events as ev

from ..checks.problems import Problem, problem

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
_YAML_HINTS = (
    ("mapping values are not allowed", "这里不能出现冒号:文字中含有冒号时,请把整段文字用英文引号括起来。"),
    ("could not find expected ':'", "缺少冒号,或这一行的缩进与上一行不一致。"),
    ("did not find expected key", "缩进不一致:同一层级的字段要对齐。"),
    ("did not find expected '-' indicator", "列表项的缩进不一致:每个 `- ` 要对齐。"),
    ("found unexpected end of stream", "引号没有成对,或多行文字缺少 `|`。"),
    ("found undefined alias", "不允许使用 `*` 开头的别名;若是文字,请加引号。"),
    ("found character '@' that cannot start any token", "以 @ 开头的文字要加引号。"),
    ("found character '`' that cannot start any token", "以 ` 开头的文字要加引号。"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 要写成 \\\\,或改用单引号。"),
    ("while scanning a quoted scalar", "引号没有成对。"),
    ("expected <block end>, but found '-'", "列表项的缩进与上一行不一致。"),
)


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


def read(path: Path, rel: str, raw: bytes | None = None) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file (or its bytes `raw`, already read from `path`). Returns no document when the
    file cannot be trusted to mean anything."""
    raw = path.read_bytes() if raw is None else raw
    if len(raw) > MAX_BYTES:
        return None, [problem("JL100", rel, 1, 1, f"文件有 {len(raw) // 1024} KB,超过上限 {MAX_BYTES // 1024} KB。")]
    text, problems = _decode(raw, rel)
    if text is None:
        return None, problems
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
            hint = "文件看起来是 GBK/GB18030 编码(Windows 记事本等编辑器的默认编码)。"
        except UnicodeDecodeError:
            hint = "文件中有无法识别的字节。"
        return None, [problem("JL101", rel, line, column, hint + "请另存为 UTF-8 编码。")]


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
            found.append(problem("JL103", rel, number, match.end(), "字段名后用了全角冒号 `:`(中文输入法)。"))
        elif _MISSING_SPACE.match(line):
            column = line.index(":") + 1
            found.append(problem("JL105", rel, number, column, "冒号后缺少空格:写成 `字段: 值`。"))
    return found


def _build(path: Path, rel: str, text: str) -> tuple[Document | None, list[Problem]]:
    doc = Document(path, rel, None)
    problems: list[Problem] = []
    stack: list[list] = []  # frames: [container, field path, pending key or None]

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
                                    f"字段 `{key}` 重复出现(第一次在第 {first} 行):后面的值会覆盖前面的值,造成内容丢失。",
                                    _fmt(here)))
            return
        container[key] = value
        doc.key_marks[here] = kmark
        doc.marks[here] = mark

    def current_path() -> FieldPath:
        if not stack:
            return ()
        container, parent, pending = stack[-1]
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
                attach(_scalar(event, rel, mark, problems), mark)
            elif isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                if event.tag and not event.implicit and event.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    problems.append(problem("JL109", rel, *mark, f"标签 `{event.tag}` 不受支持。"))
                container: dict | list = {} if isinstance(event, ev.MappingStartEvent) else []
                path_here = current_path()
                attach(container, mark)
                stack.append([container, path_here, None])
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, ev.DocumentStartEvent) and doc.marks:
                problems.append(problem("JL105", rel, *mark, "一个文件只能有一份内容:删除 `---` 分隔线及其后的内容。"))
                break
    except yaml.MarkedYAMLError as exc:
        where = exc.problem_mark or exc.context_mark
        line, column = (where.line + 1, where.column + 1) if where else (1, 1)
        detail = f"{exc.context or ''} {exc.problem or ''}".strip()
        hint = _indent_hint(text, line) or next((h for needle, h in _YAML_HINTS if needle in detail), "")
        return None, problems + [problem("JL105", rel, line, column, f"{hint}(解析器:{detail})".lstrip())]
    except yaml.YAMLError as exc:
        return None, problems + [problem("JL105", rel, 1, 1, f"无法解析文件({exc})。")]
    finally:
        loader.dispose()
    if problems:
        return None, problems
    if not isinstance(doc.data, dict):
        return None, [problem("JL108", rel, 1, 1, "文件内容应是一组 `字段: 值`。")]
    return doc, []


def _indent_hint(text: str, number: int) -> str:
    """A line indented deeper than the line above, which opens no block: the parser then reads it as
    a continuation of the text above and stumbles on its colon, far from the real mistake."""
    lines = text.splitlines()
    if not 1 < number <= len(lines):
        return ""
    above = next((l for l in reversed(lines[: number - 1]) if l.strip() and not l.lstrip().startswith("#")), "")
    depth, above_depth = _indent(lines[number - 1]), _indent(above)
    opens_block = above.rstrip().endswith((":", "|", ">", "|-", ">-"))
    list_item = above.lstrip().startswith("- ") and depth <= above_depth + 2
    if above and not opens_block and not list_item and depth > above_depth:
        return f"这一行比上一行多缩进了 {depth - above_depth} 个空格:同一层级的字段要左端对齐。"
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


def classify(rel: str) -> Source | None:
    for kind, pattern in KIND_PATTERNS:
        m = pattern.match(rel)
        if m:
            groups = m.groupdict()
            return Source(kind, rel, Path(), groups.get("org"), groups.get("stem"))
    return None


def discover(root: Path) -> tuple[list[Source], list[Problem]]:
    """Every YAML source under catalog/ and cases/, sorted, and problems for files that do not belong."""
    sources, problems = [], []
    for top in ("catalog", "cases"):
        base = root / top
        if not base.is_dir():
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if any(part.startswith(".") for part in PurePosixPath(rel).parts) or path.name == "README.md":
                continue
            source = classify(rel)
            if source:
                source.path = path
                sources.append(source)
            elif path.suffix.lower() == ".yaml":
                problems.append(problem("JL319", rel, 1, 1, "文件扩展名是 .yaml。"))
            elif path.suffix.lower() in IMAGE_SUFFIXES and _in_org_folder(rel):
                continue
            else:
                problems.append(problem("JL310" if path.suffix == ".yml" else "JL316", rel, 1, 1, _placement_hint(rel)))
    return sources, problems


def _in_org_folder(rel: str) -> bool:
    parts = PurePosixPath(rel).parts
    return (parts[:2] == ("catalog", "organizations") and len(parts) > 3) or (parts[0] == "cases" and len(parts) > 2)


def _placement_hint(rel: str) -> str:
    if rel.endswith(".yml"):
        return ("这个位置不属于任何一种条目。服务产品放在 catalog/organizations/<组织标识>/services/,"
                "资源放在 .../resources/,案例放在 cases/<组织标识>/。")
    return "这个文件类型不能放在目录中(只接受 .yml 条目和 png/jpg/webp 图片)。"
