"""Rules a schema cannot express: identity, references across files, vocabularies from the taxonomy,
check characters, standard numbers, real dates, files on disk, and personal information.

The rules read documents that may still carry schema errors, so every access tolerates wrong types:
one pass reports everything.
"""

from __future__ import annotations

import difflib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any, Iterator

from .. import schemas
from ..load import IMAGE_SUFFIXES, Document, FieldPath, Source, images
from ..load.problems import Problem, problem
from . import codes, punctuation

DATE_PAIRS = (("published", "updated"), ("issued", "effective"), ("start", "end"), ("published", "valid_until"),
              ("date", "updated"))
URL_IN_MARKDOWN = re.compile(r"\]\(\s*<?([^)\s>]+)")
ELEVEN_DIGITS = re.compile(r"\d{11}")
SAFE_SCHEMES = ("http://", "https://", "mailto:", "#", "/")
DOUBLED_DASH = re.compile(r"[—–-]{2,}|[－―]")


@dataclass
class Parsed:
    source: Source
    doc: Document


@dataclass
class Vocabularies:
    """Term names by vocabulary, read from the taxonomy document (tolerant of a broken one)."""

    names: dict[str, dict[str, dict]] = field(default_factory=dict)
    aliases: dict[str, dict[str, str]] = field(default_factory=dict)  # vocabulary → former name → current name

    @classmethod
    def from_doc(cls, doc: Document | None) -> "Vocabularies":
        vocab: dict[str, dict[str, dict]] = {}
        aliases: dict[str, dict[str, str]] = {}
        if doc:
            for key, terms in doc.data.items():
                if isinstance(terms, list):
                    vocab[key] = {t["name"]: t for t in terms if isinstance(t, dict) and isinstance(t.get("name"), str)}
                    aliases[key] = {str(a): name for name, t in vocab[key].items()
                                    for a in (t.get("aliases") if isinstance(t.get("aliases"), list) else [])}
        return cls(vocab, aliases)

    def ids(self, vocabulary: str) -> dict[str, dict]:
        return {t.get("id"): t for t in self.names.get(vocabulary, {}).values()}


def check(parsed: list[Parsed], sources: list[Source]) -> list[Problem]:
    """`sources` are all files found, parsed or not: a file that failed to parse still exists, so
    references to it are not reported a second time."""
    by_kind: dict[str, list[Parsed]] = defaultdict(list)
    for p in parsed:
        by_kind[p.source.kind].append(p)
    taxonomy = by_kind["taxonomy"][0].doc if by_kind["taxonomy"] else None
    vocab = Vocabularies.from_doc(taxonomy)
    found: list[Problem] = []
    for required in ("taxonomy", "programme"):
        if not any(s.kind == required for s in sources):  # present but unreadable: its own problem says why
            found.append(problem("JL317", f"catalog/{required}.yml", 1, 1, f"缺少 catalog/{required}.yml，由项目办公室维护。"))
    if taxonomy:
        found += _check_taxonomy(taxonomy)
    orgs = {s.org for s in sources if s.kind == "organization"}
    entries = _entry_index(by_kind, found)
    for s in sources:
        if s.kind in ("service", "resource"):
            entries.setdefault(s.org, set()).add(s.stem)
    for p in parsed:
        found += _check_document(p, vocab, orgs, entries)
    for p in by_kind["figures"]:
        found += _check_figures(p.doc, vocab)
    for p in by_kind["programme"]:
        found += _check_programme(p.doc, vocab, orgs)
    found += _check_cover_text(parsed, by_kind["programme"][0].doc if by_kind["programme"] else None)
    for p in parsed:
        if p.source.org and p.source.kind != "organization" and p.source.org not in orgs:
            found.append(p.doc.problem("JL317", (), f"组织 `{p.source.org}` 还没有 organization.yml：请先建立组织档案。"))
    return found


COVER_FIELDS = {"service": ("title",), "resource": ("title",), "case": ("title",), "organization": ("name", "short_name")}
_COMMON_SCRIPT = re.compile(r"[\x20-\x7e\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")  # any Chinese font has these


def _check_cover_text(parsed: list[Parsed], programme: Document | None) -> list[Problem]:
    """Letters the share-cover font lacks (Thai, a rare extension-B character) would be drawn as 〓: a
    warning, so the contributor can choose another wording or the office a fuller font."""
    rare = [(p.doc, key, p.doc.data[key]) for p in parsed for key in COVER_FIELDS.get(p.source.kind, ())
            if isinstance(p.doc.data.get(key), str) and _COMMON_SCRIPT.sub("", p.doc.data[key])]
    if not rare:
        return []
    from ..load import fonts  # only when a title has letters beyond common Chinese

    share = programme.data.get("share") if programme else None
    configured = share.get("font", "") if isinstance(share, dict) and isinstance(share.get("font"), str) else ""
    root = Path(str(programme.path)[: -len(programme.rel)]) if programme else None
    try:
        font = fonts.find_font(configured, root)
    except fonts.FontError:
        return []  # no cover font on this machine: the build names what to install
    found = []
    for doc, key, text in rare:
        lacking = "".join(ch for ch in fonts.missing_glyphs(font, _COMMON_SCRIPT.sub("", text)) if not fonts.symbol(ch))
        if lacking:
            found.append(doc.problem("JL120", (key,), f"封面字体 {Path(font.path).name} 没有“{lacking}”的字形，"
                                                      f"分享封面上这些字会显示为 {fonts.PLACEHOLDERS[0]}。"))
    return found


def check_one(p: Parsed, taxonomy: Document | None, sources: list[Source]) -> list[Problem]:
    """The rules for one service, resource or case against the rest of the catalog (its taxonomy and
    files): what `check` finds in it while its path, and so its id, stays the same."""
    orgs = {s.org for s in sources if s.kind == "organization"}
    entries: dict[str, set[str]] = defaultdict(set)
    for s in sources:
        if s.kind in ("service", "resource"):
            entries[s.org].add(s.stem)
    return _check_document(p, Vocabularies.from_doc(taxonomy), orgs, entries)


def _check_taxonomy(doc: Document) -> list[Problem]:
    found = []
    capability_ids = {t.get("id") for t in doc.data.get("capabilities", []) if isinstance(t, dict)}
    for key, terms in doc.data.items():
        if not isinstance(terms, list):
            continue
        for attr in ("id", "name"):
            seen: set = set()
            for i, term in enumerate(terms):
                value = term.get(attr) if isinstance(term, dict) else None
                if value in seen:
                    found.append(doc.problem("JL320", (key, i, attr), f"词表 `{key}` 中的 {attr} `{value}` 重复。"))
                seen.add(value)
        names = {t.get("name") for t in terms if isinstance(t, dict)}
        former: set = set()
        for i, term in enumerate(terms):
            for j, alias in enumerate(term.get("aliases") or [] if isinstance(term, dict) else []):
                if alias in names or alias in former:
                    found.append(doc.problem("JL320", (key, i, "aliases", j), f"旧名称 `{alias}` 在词表 `{key}` 中已被使用。"))
                former.add(alias)
        for i, term in enumerate(terms):
            if isinstance(term, dict) and "capability" in term and term["capability"] not in capability_ids:
                found.append(doc.problem("JL320", (key, i, "capability"), f"`{term['capability']}` 不是核心能力的 id。"))
    return found


def _entry_index(by_kind: dict[str, list[Parsed]], found: list[Problem]) -> dict[str, set[str]]:
    """Ids of services and resources per organization: they share one namespace so references are unambiguous."""
    index: dict[str, dict[str, Parsed]] = defaultdict(dict)
    for p in by_kind["service"] + by_kind["resource"]:
        org, stem = p.source.org, p.source.stem
        if stem in index[org]:
            other = index[org][stem].source.rel
            found.append(p.doc.problem("JL301", ("id",), f"本组织已有标识为 `{stem}` 的条目（{other}）。"))
        index[org][stem] = p
    return {org: set(ids) for org, ids in index.items()}


def _check_document(p: Parsed, vocab: Vocabularies, orgs: set[str], entries: dict[str, set[str]]) -> list[Problem]:
    doc, source, data = p.doc, p.source, p.doc.data
    found: list[Problem] = []
    expected_id = source.org if source.kind == "organization" else source.stem
    if expected_id and not source.named_badly and "id" in data and data["id"] != expected_id:
        where = "文件夹名" if source.kind == "organization" else "文件名"
        found.append(doc.problem("JL300", ("id",), f"`id` 是 `{data['id']}`,{where}是 `{expected_id}`。"))
    for path, vocabulary in schemas.vocabulary_fields(source.kind):
        for at, value in _values_at(data, path):
            found += _check_term(doc, at, value, vocabulary, vocab)
    if source.kind == "organization":
        found += _check_uscc(doc)
        found += _check_files(doc, [(("logo",), data.get("logo"))])
    if source.kind == "resource":
        found += _check_resource(doc, vocab)
    if source.kind == "case":
        found += _check_case(doc, source, orgs, entries)
    found += _check_dates(doc)
    if source.kind != "taxonomy":
        found += _check_text(doc)
        found += _check_punctuation(doc)
    return found


def _values_at(data: Any, path: tuple[str, ...], at: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Values found at a schema path; lists of terms are expanded item by item."""
    if not path:
        if isinstance(data, list):
            for i, item in enumerate(data):
                yield at + (i,), item
        elif data is not None:
            yield at, data
        return
    if not isinstance(data, dict):
        return
    head, rest = path[0], path[1:]
    keys = list(data) if head == "*" else [head] if head in data else []
    for key in keys:
        yield from _values_at(data[key], rest, at + (key,))


def _check_term(doc: Document, at: FieldPath, value: Any, vocabulary: str, vocab: Vocabularies) -> list[Problem]:
    names = vocab.names.get(vocabulary)
    if not names or not isinstance(value, str) or value in names:
        return []
    current = vocab.aliases.get(vocabulary, {}).get(value)
    if current:
        return [doc.problem("JL340", at, f"`{value}` 已改名为 `{current}`，旧名称仍然有效，方便时请改写。")]
    by_other = {str(t.get(k)): n for n, t in names.items() for k in ("id", "en") if t.get(k)}
    parts = [part for part in re.split(r"[,\uff0c\u3001;\uff1b/\s]+", value) if part]
    if value in by_other:
        hint = f"请写中文名称 `{by_other[value]}`。"
    elif len(parts) > 1 and all(part in names for part in parts):
        hint = f"多个词要写成列表 `[{', '.join(parts)}]`（方括号，英文逗号加空格分隔）。"
    else:
        close = difflib.get_close_matches(value, list(names), n=1, cutoff=0.5)
        hint = f"是否想写 `{close[0]}`?" if close else f"可选：{'、'.join(names)}。"
    return [doc.problem("JL303", at, f"`{value}` 不在词表 `{vocabulary}` 中，{hint}")]


def _check_uscc(doc: Document) -> list[Problem]:
    code = doc.data.get("uscc")
    if not isinstance(code, str) or not re.fullmatch(r"[0-9A-HJ-NPQRTUWXY]{18}", code):
        return []
    if not codes.uscc_valid(code):
        return [doc.problem("JL304", ("uscc",), f"`{code}` 的校验位对不上：18 位中有一位抄错，请逐位核对证书。"
                                                 "不要只改最后一位：抄错的往往是前面的某一位。")]
    found = []
    if not codes.uscc_org_code_valid(code):
        found.append(doc.problem("JL305", ("uscc",), f"`{code}` 第 9–17 位的组织机构代码校验位不符。"))
    if code[:2] not in codes.SOCIAL_ORG_PREFIXES:
        found.append(doc.problem("JL306", ("uscc",), f"`{code}` 以 `{code[:2]}` 开头，不是民政部门登记的社会组织。"))
    return found


def _check_files(doc: Document, files: list[tuple[FieldPath, Any]]) -> list[Problem]:
    found = []
    folder = doc.path.parent
    for at, name in files:
        if not isinstance(name, str):
            continue
        parts = PurePosixPath(name).parts
        if name.startswith(("/", "\\")) or ".." in parts or "\\" in name:
            found.append(doc.problem("JL311", at, f"`{name}` 不在本文件所在的文件夹内。"))
        elif os.path.realpath(folder / name) != os.path.abspath(folder / name):
            continue  # a symbolic link on the way: refused where it is found (JL110), never read
        elif not (folder / name).is_file():
            found.append(doc.problem("JL312", at, f"找不到图片 `{name}`（应放在 {Path(doc.rel).parent.as_posix()}/{name}）。"))
        elif PurePosixPath(name).suffix.lower() in IMAGE_SUFFIXES:  # other names: the schema already said why
            role = "logo" if at == ("logo",) else "case"
            found += [doc.problem(f.code, at, f"`{name}`:{f.message}") for f in images.inspect(folder / name, role)]
    return found


def _check_resource(doc: Document, vocab: Vocabularies) -> list[Problem]:
    data = doc.data
    found = []
    if data.get("kind") == "standard":
        number, level = data.get("number"), data.get("level")
        level = vocab.aliases.get("standard_levels", {}).get(level, level) if isinstance(level, str) else level
        levels = vocab.names.get("standard_levels", {})
        if isinstance(number, str) and level in levels:
            pattern = levels[level].get("pattern")
            doubled = DOUBLED_DASH.search(number)
            if doubled:
                found.append(doc.problem("JL307", ("number",), f"标准号 `{number}` 中的破折号重复了（`{doubled.group()}`）："
                                         f"年份前只用一个 `—`（或连字符 `-`），如 `{levels[level].get('example', '')}`。"
                                         "中文输入法的破折号“——”是两个字符。"))
            elif pattern and not re.match(pattern, number):
                matching = [n for n, t in levels.items() if t.get("pattern") and re.match(t["pattern"], number)]
                hint = f"这个编号像是{matching[0]}" if matching else f"{level}的编号形如 `{levels[level].get('example', '')}`"
                found.append(doc.problem("JL307", ("number",), f"标准号 `{number}` 不符合{level}的编号格式：{hint}。"))
    if data.get("kind") == "event" and data.get("online") is not True and not data.get("place"):
        found.append(doc.problem("JL317", ("place",), "线下活动要填写地点 `place`；线上活动请写 `online: true`。"))
    return found


def _check_case(doc: Document, source: Source, orgs: set[str], entries: dict[str, set[str]]) -> list[Problem]:
    data = doc.data
    found = []
    members = data.get("organizations")
    if isinstance(members, list):
        if members and members[0] != source.org:
            found.append(doc.problem("JL317", ("organizations", 0), f"第一个组织应是本文件夹所属的 `{source.org}`。"))
        for i, org in enumerate(members):
            if isinstance(org, str) and org not in orgs:
                found.append(doc.problem("JL302", ("organizations", i), f"没有标识为 `{org}` 的组织。"))
    for key in ("services", "resources"):
        refs = data.get(key)
        for i, ref in enumerate(refs if isinstance(refs, list) else []):
            if not isinstance(ref, str):
                continue
            org, _, entry = ref.rpartition("/")
            org = org or source.org
            if entry not in entries.get(org, set()):
                found.append(doc.problem("JL302", (key, i), f"找不到条目 `{ref}`（组织 `{org}` 中没有 `{entry}`）。"))
    images = data.get("images")
    files = [((("images", i, "file")), img.get("file")) for i, img in enumerate(images if isinstance(images, list) else [])
             if isinstance(img, dict)]
    found += _check_files(doc, files)
    return found


def _check_figures(doc: Document, vocab: Vocabularies) -> list[Problem]:
    found = []
    years = doc.data.get("years")
    seen: set = set()
    level_ids = vocab.ids("standard_levels")
    for i, row in enumerate(years if isinstance(years, list) else []):
        if not isinstance(row, dict):
            continue
        if row.get("year") in seen:
            found.append(doc.problem("JL301", ("years", i, "year"), f"{row.get('year')} 年的数据出现了两次。"))
        seen.add(row.get("year"))
        standards = row.get("standards")
        for level in standards if isinstance(standards, dict) and level_ids else []:
            if level not in level_ids:
                found.append(doc.problem("JL303", ("years", i, "standards", level), f"`{level}` 不是标准级别，可选：{'、'.join(map(str, level_ids))}。", key=True))
    return found


def _check_programme(doc: Document, vocab: Vocabularies, orgs: set[str]) -> list[Problem]:
    found = []
    keys = doc.data.get("key_organizations")
    for i, org in enumerate(keys if isinstance(keys, list) else []):
        if isinstance(org, str) and org not in orgs:
            found.append(doc.problem("JL302", ("key_organizations", i), f"没有标识为 `{org}` 的组织。"))
    integrity = doc.data.get("integrity")
    for org in integrity if isinstance(integrity, dict) else []:
        if org not in orgs:
            found.append(doc.problem("JL302", ("integrity", org), f"没有标识为 `{org}` 的组织。", key=True))
    targets = doc.data.get("targets")
    standards = targets.get("standards") if isinstance(targets, dict) else None
    level_ids = vocab.ids("standard_levels")
    for level in standards if isinstance(standards, dict) and level_ids else []:
        if level not in level_ids:
            found.append(doc.problem("JL303", ("targets", "standards", level), f"`{level}` 不是标准级别。", key=True))
    return found


def parse_when(value: str) -> date | datetime:
    """A date (`YYYY-MM-DD`) or a Beijing local time (`YYYY-MM-DD HH:MM`)."""
    if len(value) == 10:
        return date.fromisoformat(value)
    return datetime.fromisoformat(value.replace(" ", "T"))


def _check_dates(doc: Document) -> list[Problem]:
    found = []
    parsed: dict[str, date | datetime] = {}
    for key, value in doc.data.items():
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2})?", value):
            try:
                parsed[key] = parse_when(value)
            except ValueError:
                if len(value) > 10:  # plain dates are reported by the schema's format check
                    found.append(doc.problem("JL308", (key,), f"`{key}` 的时间 `{value}` 不存在。"))
    for first, second in DATE_PAIRS:
        if first in parsed and second in parsed:
            a, b = parsed[first], parsed[second]
            if _as_datetime(a) > _as_datetime(b):
                found.append(doc.problem("JL309", (second,), f"`{second}`（{doc.data[second]}）早于 `{first}`（{doc.data[first]}）。"))
    return found


def _as_datetime(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)


def _check_punctuation(doc: Document) -> list[Problem]:
    """Half-width punctuation inside Chinese sentences (a warning: the text still builds), with the fix."""
    found = []
    for at, text in doc.strings():
        if not punctuation.HAS_CJK.search(text) or (at and at[-1] in _NOT_PROSE):
            continue
        changes = punctuation.differences(text)
        if changes:
            shown = "；".join(f"“{old.strip()}”改为“{new.strip()}”" for old, new in changes[:3])
            more = f"等 {len(changes)} 处" if len(changes) > 3 else ""
            found.append(doc.problem("JL380", at, f"{shown}{more}。"))
    return found


_NOT_PROSE = frozenset({"id", "url", "apply_url", "registration_url", "document_url", "website", "email", "phone",
                        "logo", "file", "uscc"})


def _check_text(doc: Document) -> list[Problem]:
    """Personal information anywhere, and links in Markdown that are not http(s)."""
    found = []
    for at, text in doc.strings():
        if ELEVEN_DIGITS.search(text):  # what both kinds of number need; most text has none
            for number in codes.find_resident_ids(text):
                found.append(doc.problem("JL314", at, f"`{number[:6]}…` 像是居民身份证号码。"))
            for number in codes.find_mobiles(text):
                found.append(doc.problem("JL315", at, f"`{number[:3]}****{number[-4:]}` 像是个人手机号码。"))
        for link in URL_IN_MARKDOWN.findall(text) if "](" in text else ():
            if not link.lower().startswith(SAFE_SCHEMES):
                found.append(doc.problem("JL313", at, f"链接 `{link[:40]}` 不是 http(s) 网址。"))
    return found

