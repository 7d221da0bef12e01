"""Open data: the whole catalog as `catalog.json`, the directory and the cases as CSV, the JSON
Schemas under `schemas/`, and the page that documents every field, generated from those schemas so
it can never drift from what `juli validate` enforces."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable

from . import editor_schemas
from ..model import freshness, urls
from .. import schemas
from ..model import Case, Catalog, Entry, Event, Organization, Term
from . import Context, Output, spreadsheet
from .frontmatter import page
from .templating import render as render_template

CATALOG_JSON = "catalog.json"
CATALOG_CSV = "catalog.csv"
CASES_CSV = "cases.csv"
DATA_PAGE = "data/"
# The kinds of files contributors write, in the order the fields page documents them.
DOCUMENTED_KINDS = ("organization", "service", "resource", "case", "figures")
LIST_SEPARATOR = ";"


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    yield Output(CATALOG_JSON, catalog_json(c, ctx.base_url), tree="site")
    yield Output(CATALOG_CSV, _csv(entry_rows(c, ctx.base_url)), tree="site")
    yield Output(CASES_CSV, _csv(case_rows(c, ctx.base_url)), tree="site")
    editor = editor_schemas.from_taxonomy(c.taxonomy)  # self-contained, vocabularies as enums (as in schemas/)
    for kind in ("common",) + schemas.KINDS:
        text = json.dumps(schemas.load(kind), ensure_ascii=False, indent=2) + "\n"
        yield Output(f"schemas/{kind}.schema.json", editor.get(f"{kind}.schema.json", text.encode("utf-8")), tree="site")
    body = render_template("pages/data.html", c=c, link=lambda p: urls.relative(DATA_PAGE, p),
                           kinds=[document_kind(k, c) for k in DOCUMENTED_KINDS],
                           kind_names={t.id: t.name for t in c.taxonomy.terms("resource_kinds")}, schema_kinds=("common",) + schemas.KINDS,
                           files={"json": CATALOG_JSON, "csv": CATALOG_CSV, "cases_csv": CASES_CSV})
    yield page(DATA_PAGE, "开放数据和字段说明",
               f"{c.programme.site.title}全部数据的 JSON、CSV 下载和 JSON Schema，以及每个字段的含义、类型和取值。", body, hide=("navigation",))


# --- catalog.json -----------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    """Model values as the YAML wrote them: terms by name, dates ISO, files omitted (published as URLs)."""
    if isinstance(value, Term):
        return value.name
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not _empty(getattr(value, f.name)) and not isinstance(getattr(value, f.name), Path)}
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == {}


def _event_times(entry: Event) -> dict[str, str]:
    """Events written as dates stay dates: the model's 00:00/23:59 are its own convention."""
    fmt = "%Y-%m-%d" if entry.all_day else "%Y-%m-%d %H:%M"
    return {"start": entry.start.strftime(fmt), "end": entry.end.strftime(fmt)}


def entry_record(entry: Entry, catalog: Catalog, base_url: str) -> dict[str, Any]:
    record = _plain(entry)
    record.pop("extra", None)
    record.update({name: _plain(value) for name, value in getattr(entry, "extra", ()) if not _empty(value)})
    if isinstance(entry, Event):
        record.update(_event_times(entry))
    record.pop("resource_kind", None)
    record.update(uid=entry.uid, page=urls.absolute(base_url, urls.page(entry)),
                  needs_review=freshness.needs_review(entry, catalog), expired=freshness.expired(entry, catalog))
    return record


def case_record(case: Case, catalog: Catalog, base_url: str) -> dict[str, Any]:
    record = _plain(case)
    record["images"] = [dict(_plain(i), url=urls.absolute(base_url, urls.case_image(case, i))) for i in case.images]
    if not record["images"]:
        del record["images"]
    record.update(uid=case.uid, page=urls.absolute(base_url, urls.page(case)),
                  needs_review=freshness.needs_review(case, catalog))
    return record


def organization_record(org: Organization, base_url: str) -> dict[str, Any]:
    record = _plain(org)
    if org.logo is not None:
        record["logo"] = urls.absolute(base_url, urls.logo(org))
    record["page"] = urls.absolute(base_url, urls.page(org))
    return record


def catalog_json(c: Catalog, base_url: str) -> bytes:
    data = {
        "title": c.programme.site.title,
        "site": base_url,
        "as_of": freshness.as_of(c).isoformat(),
        "schemas": urls.absolute(base_url, "schemas/"),
        "organizations": [organization_record(o, base_url) for o in c.organizations],
        "services": [entry_record(e, c, base_url) for e in c.services],
        "resources": [entry_record(e, c, base_url) for e in c.resources],
        "cases": [case_record(k, c, base_url) for k in c.cases],
        "figures": [_plain(f) for f in c.figures],
    }
    # Compact: one line, written by json's C encoder (the indenting encoder is pure Python, a second at
    # 10,000 entries); `python -m json.tool` or any viewer indents it for reading.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode("utf-8")


# --- CSV ------------------------------------------------------------------------------------------

ENTRY_COLUMNS = ("uid", "kind", "title", "org", "organization", "summary", "capabilities", "fields", "service_kinds",
                 "audiences", "parks", "districts", "fee", "how_to_apply", "contact", "url", "published", "updated",
                 "valid_until", "page")
CASE_COLUMNS = ("uid", "title", "date", "organizations", "fields", "capabilities", "parks", "summary",
                "enterprises_served", "updated", "page")


def _cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(str(v) for v in value.values())
    return "" if value is None else str(value)


def entry_rows(c: Catalog, base_url: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    rows = []
    for e in c.entries:
        row = {k: _cell(getattr(e, k, "")) for k in ENTRY_COLUMNS}
        row.update(uid=e.uid, organization=c.organization(e.org).name, page=urls.absolute(base_url, urls.page(e)))
        rows.append(row)
    return ENTRY_COLUMNS, rows


def case_rows(c: Catalog, base_url: str) -> tuple[tuple[str, ...], list[dict[str, str]]]:
    rows = []
    for k in c.cases:
        row = {col: _cell(getattr(k, col, "")) for col in CASE_COLUMNS}
        row.update(uid=k.uid, page=urls.absolute(base_url, urls.page(k)))
        rows.append(row)
    return CASE_COLUMNS, rows


def _csv(table: tuple[tuple[str, ...], list[dict[str, str]]]) -> bytes:
    """UTF-8 with a byte-order mark and CRLF rows: what Excel needs to open Chinese text correctly; no
    cell can start a formula (see `spreadsheet`)."""
    columns, rows = table
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(spreadsheet.row(r) for r in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- The fields page, from the schemas ------------------------------------------------------------

TYPE_NAMES = {"string": "文本", "integer": "整数", "number": "数字", "boolean": "是/否", "array": "列表", "object": "对象",
              "markdown": "Markdown 文本", "date": "日期", "datetime": "日期时间", "url": "网址", "email": "邮箱",
              "phone": "电话", "term": "词表取值", "terms": "词表取值（可多个）", "tags": "标签列表", "id": "标识",
              "ref": "条目引用", "line": "单行文本", "title": "标题", "summary": "简介", "year": "年份", "count": "计数",
              "file": "图片文件", "contact": "联系方式", "schema_version": "整数"}


@dataclasses.dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    description: str
    title: str = ""
    vocabulary: str = ""
    terms: tuple[str, ...] = ()
    enum: tuple[str, ...] = ()
    applies_to: str = ""


@dataclasses.dataclass(frozen=True)
class KindDoc:
    kind: str
    title: str
    path: str
    fields: tuple[FieldDoc, ...]


def _resolve(node: dict) -> tuple[str, dict]:
    """(type name, merged schema) of a property: a shared definition's name, or its own `type`."""
    return schemas.definition(node) or node.get("type", "enum" if "enum" in node else ""), schemas.resolve(node)[0]


def _fields(node: dict, catalog: Catalog, prefix: str = "", applies_to: str = "") -> list[FieldDoc]:
    docs: list[FieldDoc] = []
    required = set(node.get("required", []))
    for name, sub in node.get("properties", {}).items():
        type_name, merged = _resolve(sub)
        vocabulary = merged.get("x-vocabulary", "")
        docs.append(FieldDoc(
            name=prefix + name, type=TYPE_NAMES.get(type_name, "取值之一" if type_name == "enum" else type_name),
            required=name in required, description=chinese(sub.get("description", merged.get("description", ""))),
            title=sub.get("title", ""), vocabulary=vocabulary,
            terms=tuple(t.name for t in catalog.taxonomy.terms(vocabulary)), enum=tuple(merged.get("enum", ())),
            applies_to=applies_to,
        ))
        items = merged.get("items", {})
        if merged.get("type") == "array" and isinstance(items, dict):
            item_type, item_schema = _resolve(items)
            if item_schema.get("properties"):
                docs.extend(_fields(item_schema, catalog, f"{prefix}{name}[].", applies_to))
        elif merged.get("properties"):
            docs.extend(_fields(merged, catalog, f"{prefix}{name}.", applies_to))
    for branch in node.get("allOf", []):
        kind = branch.get("if", {}).get("properties", {}).get("kind", {}).get("const", "")
        then = branch.get("then", {})
        docs.extend(_fields(then, catalog, prefix, kind))
    return docs


_ENGLISH_TAIL = re.compile(r"\s+/\s+[A-Za-z][A-Za-z ,;'()-]*$|\s+[A-Z]?[a-z]+(?: [A-Za-z]?[a-z]+)+$")


def chinese(text: str) -> str:
    """A schema title or description as readers see it: the Chinese text without an English gloss after
    it ("典型案例 Case study", "格式版本 / format version of this file"), which is for developers."""
    stripped = _ENGLISH_TAIL.sub("", text)
    return stripped if re.search(r"[\u4e00-\u9fff]", stripped) else text


def document_kind(kind: str, catalog: Catalog) -> KindDoc:
    schema = schemas.load(kind)
    return KindDoc(kind, chinese(schema.get("title", kind)), schema.get("description", ""), tuple(_fields(schema, catalog)))
