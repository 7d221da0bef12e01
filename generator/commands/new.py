"""`juli new organization|service|resource KIND|case`: write a commented template in the right folder.

Fields, required-ness, help text (`description`) and vocabularies come from the JSON Schemas and the
taxonomy (through `schemas/fields.py`), so a new kind, field or term shows up in the templates without
touching this file. Values come from flags (`--title …`, one
per field), from questions when stdin is a terminal, or stay empty with a comment saying what to
write. The file starts with the `yaml-language-server` header pointing at the editor schemas in
`schemas/`, so editors autocomplete fields and vocabulary terms.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..render import editor_schemas
from ..checks import formats
from .. import schemas
from ..schemas import fields as kinds
from ..checks import validate
from ..load import read
from . import add_root, iso_date

NAME = "new"
HELP = "新建组织、服务产品、资源或案例：按提问或参数生成带中文注释的模板文件"

_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

# Commented examples for fields whose value is a group of fields.
EXAMPLES = {
    "contact": "contact:\n  label: 秘书处\n  phone: 010-62000000\n  email: service@example.org",
    "contacts": "contacts:\n  - label: 秘书处\n    phone: 010-62000000\n    email: office@example.org\n    address: 某某区某某路 1 号",
    "members": "members:\n  total: 120\n  enterprises: 100\n  institutions: 15\n  individuals: 5",
    "international_memberships": "international_memberships:\n  - name: 某国际组织\n    role: 成员\n    since: 2020",
    "figures": "figures:\n  - {label: 服务企业, value: 46, unit: 家}",
    "images": "images:\n  - file: images/photo.jpg\n    alt: 图片内容的文字说明\n    caption: 图片下方显示的说明",
}


@dataclass(frozen=True)
class Field:
    """A field as `juli new` asks for it and writes it; name, help text and vocabulary come from the schema."""

    decl: kinds.Field

    @property
    def name(self) -> str:
        return self.decl.name

    @property
    def required(self) -> bool:
        return self.decl.required

    @property
    def help(self) -> str:
        return self.decl.description

    @property
    def vocabulary(self) -> str | None:
        return self.decl.vocabulary

    @property
    def shape(self) -> str:
        """How the value is typed: the declared shape, with links as text, tags as a list, groups as objects."""
        shape = self.decl.shape
        if shape == "url":
            return "text"
        if shape == "tags":
            return "list"
        if shape == "contact" or self.name in EXAMPLES and shape in ("object", "list"):
            return "object"
        return shape


def fields_of(what: str, kind: str | None = None) -> list[Field]:
    """The fields of a file, in the schema's order, with the resource kind's own fields after the common ones."""
    return [Field(f) for f in kinds.fields(what, kind)]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    for what in ("organization", "service", "resource", "case"):
        p = sub.add_parser(what, help=f"新建{kinds.file_title(what)}",
                           description=f"新建{kinds.file_title(what)}。未给出的必填值在终端中逐项提问；"
                                       "非交互运行时留空，并在文件中注明如何填写。")
        if what == "resource":
            p.add_argument("kind", choices=kinds.resource_kinds(), help=next(f.title for f in kinds.fields("resource") if f.name == "kind"))
        if what != "organization":
            p.add_argument("--org", required=True, help="组织标识（catalog/organizations/ 下的文件夹名）")
        add_root(p)
        p.add_argument("--no-input", action="store_true", help="不提问（没有终端时自动如此）")
        p.add_argument("--today", type=iso_date, default=None, help="published/updated 的默认日期，默认今天")
        seen: set[str] = set()
        for kind in (kinds.resource_kinds() if what == "resource" else (None,)):
            for f in fields_of(what, kind):
                if f.name in seen or f.name == "schema_version" or f.shape == "object" or (what == "resource" and f.name == "kind"):
                    continue
                seen.add(f.name)
                hint = f.help
                many = "（多个值用逗号分隔）" if f.shape in ("terms", "list") else ""
                p.add_argument(f"--{f.name.replace('_', '-')}", dest=f"field_{f.name}", metavar="VALUE", help=hint + many)


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    what, kind = args.what, getattr(args, "kind", None)
    taxonomy = _vocabularies(root)
    if taxonomy is None:
        print(f"juli new: 找不到 {args.root}/catalog/taxonomy.yml，请在项目根目录运行或用 --root 指定。", file=sys.stderr)
        return 2
    org = getattr(args, "org", None)
    orgs = sorted(p.parent.name for p in (root / "catalog/organizations").glob("*/organization.yml"))
    if org is not None and org not in orgs:
        print(f"juli new: 没有组织 `{org}`。已有的组织：{'、'.join(orgs)}", file=sys.stderr)
        return 2
    fields = [f for f in fields_of(what, kind)]
    flags = {f.name: getattr(args, f"field_{f.name}", None) for f in fields}
    interactive = sys.stdin.isatty() and not args.no_input
    today = (args.today or date.today()).isoformat()
    values: dict[str, Any] = {"schema_version": schemas.CURRENT_VERSION}
    if kind:
        values["kind"] = kind
    if what == "case":
        values["organizations"] = [org]
    for f in fields:
        raw = flags.get(f.name)
        if raw is not None:
            value, error = parse(f, raw, taxonomy)
            if error:
                print(f"juli new: --{f.name.replace('_', '-')}:{error}", file=sys.stderr)
                return 2
            values[f.name] = value
    for name in ("published", "updated"):
        if name in {f.name for f in fields} and name not in values and what != "case":
            values[name] = today
    if what == "case" and "date" not in values:
        values["date"] = today
    if interactive:
        if "id" not in values:
            values["id"] = _ask_id(what)
        for f in fields:
            if f.required and f.name not in values and f.shape != "object":
                values[f.name] = _ask(f, taxonomy)
        by_name = {f.name: f for f in fields}
        if kind == "event" and "online" not in values:  # the place is required exactly when it is not online
            values["online"] = _ask(by_name["online"], taxonomy)
        if kind == "event" and values.get("online") is False and "place" not in values:
            values["place"] = _ask(by_name["place"], taxonomy)
    ident = values.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        print("juli new: 请用 --id 给出标识（小写英文字母、数字和连字符，如 ip-consulting）。", file=sys.stderr)
        return 2
    rel = target(what, ident, org)
    path = root / rel
    if path.exists():
        print(f"juli new: {rel} 已经存在；修改已有条目请直接编辑该文件。", file=sys.stderr)
        return 1
    text = template(what, kind, rel, fields, values, taxonomy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    print(f"已创建 {rel}")
    problems = [p for p in validate(root).problems if p.file == rel]
    if problems:
        print("还需要填写或修改（保存后运行 `juli validate` 复查）：")
        print(formats.as_text(problems, 1))
    else:
        print("这个文件已经通过校验。")
    return 0


def target(what: str, ident: str, org: str | None) -> str:
    if what == "organization":
        return f"catalog/organizations/{ident}/organization.yml"
    if what == "case":
        return f"cases/{org}/{ident}.yml"
    return f"catalog/organizations/{org}/{what}s/{ident}.yml"


def _vocabularies(root: Path) -> dict[str, list[str]] | None:
    path = root / "catalog/taxonomy.yml"
    if not path.is_file():
        return None
    doc, _ = read(path, "catalog/taxonomy.yml")
    data = doc.data if doc else {}
    return {k: [t["name"] for t in v if isinstance(t, dict) and "name" in t] for k, v in data.items() if isinstance(v, list)}


def parse(f: Field, raw: str, taxonomy: dict[str, list[str]]) -> tuple[Any, str]:
    """A typed value from what the contributor typed, or an error message saying what to type."""
    raw = raw.strip()
    options = taxonomy.get(f.vocabulary or "", [])
    if f.shape == "terms" or f.shape == "list":
        parts = [p.strip() for p in re.split(r"[,,、;;]" if f.shape == "list" else r"[,,、;;\s]+", raw) if p.strip()]
        if options:
            parts = [_term(p, options) or p for p in parts]
            wrong = [p for p in parts if p not in options]
            if wrong:
                return None, f"`{'、'.join(wrong)}` 不在词表中，可选：{'、'.join(options)}"
        return parts, ""
    if f.shape == "term":
        term = _term(raw, options) if options else raw
        if options and term not in options:
            return None, f"`{raw}` 不在词表中，可选：{'、'.join(options)}"
        return term, ""
    if f.shape == "int":
        return (int(raw), "") if re.fullmatch(r"\d+", raw) else (None, "请写一个整数")
    if f.shape == "bool":
        if raw.lower() in ("true", "yes", "y", "是"):
            return True, ""
        if raw.lower() in ("false", "no", "n", "否"):
            return False, ""
        return None, "请写 true 或 false"
    if f.shape in ("date", "datetime"):
        pattern = r"\d{4}-\d{2}-\d{2}" + (r"( \d{2}:\d{2})?" if f.shape == "datetime" else "")
        if not re.fullmatch(pattern, raw):
            return None, "日期写作 YYYY-MM-DD，如 2025-06-01" + ("，时间写作 2025-06-01 09:30" if f.shape == "datetime" else "")
        try:
            date.fromisoformat(raw[:10])
        except ValueError:
            return None, f"日期 {raw} 不存在"
        return raw, ""
    return raw, ""


def _term(raw: str, options: list[str]) -> str | None:
    """A term by its name or by its number in the list shown to the contributor."""
    if raw in options:
        return raw
    if raw.isdigit() and 1 <= int(raw) <= len(options):
        return options[int(raw) - 1]
    return None


def _ask_id(what: str) -> str:
    while True:
        word = "文件夹名" if what == "organization" else "文件名"
        value = input(f"标识（{word}，小写英文字母、数字和连字符，如 ip-consulting）：").strip()
        if _ID.match(value):
            return value
        print("  标识只能用小写英文字母、数字和连字符，2 到 63 个字符。")


def _ask(f: Field, taxonomy: dict[str, list[str]]) -> Any:
    options = taxonomy.get(f.vocabulary or "", [])
    print(f"{f.name}:{f.help}")
    if options:
        print("  " + "  ".join(f"{i}. {name}" for i, name in enumerate(options, 1)))
        if f.shape == "terms":
            print("  可多选：输入编号或名称，用逗号分隔")
    while True:
        raw = input("> ")
        if not raw.strip():
            print("  这一项必填。")
            continue
        value, error = parse(f, raw, taxonomy)
        if not error:
            return value
        print(f"  {error}")


# --- writing the template -------------------------------------------------------------------


def template(what: str, kind: str | None, rel: str, fields: list[Field], values: dict[str, Any],
             taxonomy: dict[str, list[str]]) -> str:
    header = [
        f"# yaml-language-server: $schema={editor_schemas.header_path(rel, what)}",
        f"# {kinds.file_title(what)}{'(' + kind + ')' if kind else ''}。以 # 开头的行是说明，发布时忽略。",
        "# 必填项不能删除；可选项去掉行首的 # 即可启用。填写指南：网站“参与贡献”栏目（docs/contributing/）。",
        "# 冒号用英文半角 `:` 且后面加一个空格；缩进只用空格，不用 Tab。",
    ]
    blocks = []
    for f in fields:
        blocks.append(_field_block(f, values, taxonomy))
    return "\n".join(header) + "\n" + "\n".join(blocks)


def _field_block(f: Field, values: dict[str, Any], taxonomy: dict[str, list[str]]) -> str:
    options = taxonomy.get(f.vocabulary or "", [])
    note = f.help
    if f.name in ("schema_version", "kind"):
        return f"{f.name}: {values[f.name]}\n"
    lines = [f"# {note}（{'必填' if f.required else '可选'}）" if note else f"# （{'必填' if f.required else '可选'}）"]
    if options:
        lines.append(f"# 可选：{'、'.join(options)}")
    if f.name in values:
        lines.append(_emit(f, values[f.name]))
    elif f.shape == "object":
        example = EXAMPLES.get(f.name, f"{f.name}:")
        lines += [line if f.required else f"# {line}" for line in example.splitlines()]
    elif f.required:
        lines.append(f"{f.name}:  # ← 请填写")
    else:
        lines.append(f"# {f.name}: {_example_value(f, options)}")
    return "\n".join(lines) + "\n"


def _example_value(f: Field, options: list[str]) -> str:
    if f.shape == "terms":
        return f"[{options[0]}]" if options else "[]"
    if f.shape == "term":
        return options[0] if options else ""
    if f.shape == "date":
        return "2025-12-31"
    if f.shape == "datetime":
        return "2025-12-31 09:30"
    if f.shape == "int":
        return "0"
    if f.shape == "bool":
        return "false"
    if f.shape == "list":
        return "[]"
    if "url" in f.name or f.name == "website":
        return "https://"
    if f.shape == "markdown":
        return "|\n#   第一段文字"
    return ""


def _emit(f: Field, value: Any) -> str:
    if f.shape == "markdown" and isinstance(value, str):
        body = "\n".join(f"  {line}" if line else "" for line in value.splitlines())
        return f"{f.name}: |\n{body}"
    if isinstance(value, list):
        if all(isinstance(v, str) and _plain_ok(v) and not re.search(r"[,\[\]{}]", v) for v in value):
            return f"{f.name}: [{', '.join(value)}]"
        return f"{f.name}:\n" + "\n".join(f"  - {_scalar(v)}" for v in value)
    return f"{f.name}: {_scalar(value)}"


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", text):
        return text
    return text if _plain_ok(text) else json.dumps(text, ensure_ascii=False)


def _plain_ok(text: str) -> bool:
    """Whether YAML reads `text` back unchanged without quotes."""
    if not text or text != text.strip() or "#" in text or ": " in text or text.endswith(":"):
        return False
    try:
        return yaml.safe_load(f"k: {text}") == {"k": text}
    except yaml.YAMLError:
        return False
