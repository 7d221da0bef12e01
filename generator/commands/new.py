"""`juli new organization|service|resource KIND|case`: write a commented template in the right folder.

Fields, required-ness and vocabularies come from the JSON Schemas and the taxonomy, so a new field or
term shows up in the templates without touching this file. Values come from flags (`--title …`, one
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
from ..checks import validate
from ..render.editor_schemas import COMMON_REF
from ..load import read
from . import add_root, iso_date

NAME = "new"
HELP = "新建组织、服务产品、资源或案例:按提问或参数生成带中文注释的模板文件"

RESOURCE_KINDS = ("standard", "platform", "report", "patent_pool", "event", "facility", "cooperation", "journal")
KIND_WORDS = {"organization": "组织", "service": "服务产品", "resource": "资源", "case": "典型案例"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")

# What each field means, in the contributor's words. Keyed by field name, or "kind.field" when a name
# means different things in different files.
HELP_TEXT = {
    "schema_version": "格式版本,保持 1,不要修改",
    "id": "标识:小写英文字母、数字和连字符,必须与文件名(组织为文件夹名)相同,发布后不要再改",
    "title": "名称,2–80 个字",
    "name": "登记证书上的全称",
    "short_name": "简称,2–16 个字,用于微博和分享图",
    "name_en": "英文名称",
    "type": "组织类型",
    "uscc": "统一社会信用代码,18 位,对照登记证书填写",
    "registered_by": "登记管理机关,如 北京市民政局",
    "supervisor": "业务主管单位",
    "founded": "成立日期 YYYY-MM-DD",
    "organization.members": "会员数量(家/人)",
    "summary": "简介:一两句话,10–300 字,用于列表页和分享",
    "description": "详细介绍,可用 Markdown(列表、加粗);不要写 HTML",
    "website": "官方网站,http:// 或 https:// 开头",
    "contacts": "机构联系方式(不要写个人手机号和身份证号)",
    "contact": "联系方式:电话、邮箱、地址至少写一项,只写机构的公开联系方式",
    "logo": "标志图片的文件名(放在本文件夹内;PNG、JPEG 或 WebP,不接受 SVG)",
    "international_memberships": "加入的国际组织",
    "maintainers": "可以修改本组织文件的代码托管平台账号(不带 @)",
    "service_kinds": "服务类别,可多选",
    "capabilities": "对应《聚力行动》的核心服务能力,可多选",
    "resource.capabilities": "对应的核心服务能力;不写时按资源类型自动归类",
    "fields": "服务的产业领域,可多选",
    "audiences": "服务对象,可多选",
    "delivery": "服务方式,可多选",
    "fee": "收费方式,选一个",
    "fee_note": "收费说明,一行",
    "parks": "服务的中关村园区,可多选",
    "districts": "服务的行政区,可多选",
    "how_to_apply": "企业如何申请这项服务(步骤、材料、联系方式)",
    "apply_url": "在线申请网址",
    "url": "详细介绍的网址",
    "published": "首次发布日期 YYYY-MM-DD",
    "updated": "最近一次核对或修改内容的日期 YYYY-MM-DD;每次修改都要更新,超过一年未更新会被标记待复核",
    "valid_until": "有效期至 YYYY-MM-DD(可选);过期后条目会被标记",
    "tags": "关键词,最多 12 个",
    "kind": "资源类型,模板已按命令填写,不要修改",
    "number": "标准号,如 GB/T 1.1—2020、T/ZSA 12—2021(年份前用破折号 —)",
    "level": "标准级别",
    "status": "标准状态",
    "issued": "发布日期 YYYY-MM-DD",
    "effective": "实施日期 YYYY-MM-DD",
    "withdrawn": "废止日期 YYYY-MM-DD",
    "drafters": "起草单位",
    "platform_type": "平台类型",
    "offers": "平台提供的服务,每项一行",
    "year": "报告年份",
    "document_url": "报告全文或摘要的网址",
    "pages": "页数",
    "patent_pool.scope": "专利池覆盖的技术范围,一行",
    "patents": "入池专利数量",
    "patent_pool.members": "成员单位数量",
    "licensing": "许可规则:许可方式、费用原则、如何申请",
    "start": "开始时间(北京时间)YYYY-MM-DD 或 YYYY-MM-DD HH:MM",
    "end": "结束时间(北京时间)YYYY-MM-DD 或 YYYY-MM-DD HH:MM",
    "format": "活动形式",
    "online": "线上活动写 true;线下活动写 false 并填写 place",
    "place": "活动地点(线下活动必填)",
    "registration_url": "报名网址",
    "facility_type": "设施类型",
    "booking": "如何预约使用(条件、流程、联系方式)",
    "location": "所在地点",
    "partner": "合作方名称(中文)",
    "partner_en": "合作方英文名称",
    "country": "合作方所在国家或地区",
    "signed": "签约日期 YYYY-MM-DD",
    "cooperation.scope": "合作内容,一行",
    "issn": "国际标准连续出版物号,如 1234-5678",
    "cn": "国内统一连续出版物号,如 CN 11-1234/N",
    "frequency": "出版周期,如 双月刊",
    "language": "出版语言,如 中文、英文",
    "date": "案例日期(取得成效的时间) YYYY-MM-DD",
    "case.updated": "最近一次修改的日期 YYYY-MM-DD",
    "organizations": "参与组织的标识,第一个必须是本组织",
    "enterprises": "受益企业(已同意公开的名称)",
    "problem": "堵点痛点:企业遇到了什么问题(至少 10 个字)",
    "approach": "模式做法:组织怎么做的(至少 10 个字)",
    "effects": "作用成效:取得了什么效果,尽量用数字(至少 10 个字)",
    "figures": "成效数字,最多 8 项",
    "enterprises_served": "服务企业家次",
    "services": "相关服务产品的标识;其他组织的写 组织标识/条目标识",
    "resources": "相关资源的标识;其他组织的写 组织标识/条目标识",
    "images": "现场图片,放在本文件夹的 images/ 中;每张写文字说明 alt",
    "body": "正文(可选),可用 Markdown",
}

# Commented examples for fields whose value is a group of fields.
EXAMPLES = {
    "contact": "contact:\n  label: 秘书处\n  phone: 010-62000000\n  email: service@example.org",
    "contacts": "contacts:\n  - label: 秘书处\n    phone: 010-62000000\n    email: office@example.org\n    address: 北京市海淀区某某路 1 号",
    "organization.members": "members:\n  total: 120\n  enterprises: 100\n  institutions: 15\n  individuals: 5",
    "international_memberships": "international_memberships:\n  - name: 某国际组织\n    role: 成员\n    since: 2020",
    "figures": "figures:\n  - {label: 服务企业, value: 46, unit: 家}",
    "images": "images:\n  - file: images/photo.jpg\n    alt: 图片内容的文字说明\n    caption: 图片下方显示的说明",
}


@dataclass(frozen=True)
class Field:
    name: str
    node: dict
    required: bool
    key: str  # the HELP_TEXT/EXAMPLES key

    @property
    def shape(self) -> str:
        ref = str(self.node.get("$ref", ""))
        tail = ref.rsplit("/", 1)[-1] if ref.startswith(COMMON_REF) else ""
        if tail in ("terms", "term", "date", "datetime", "markdown"):
            return tail
        if tail in ("count", "year") or self.node.get("type") == "integer":
            return "int"
        if self.node.get("type") == "boolean":
            return "bool"
        if tail == "contact" or self.node.get("type") == "object" or self.key in EXAMPLES:
            return "object"
        if tail == "tags" or self.node.get("type") == "array":
            return "list"
        return "text"

    @property
    def vocabulary(self) -> str | None:
        return self.node.get("x-vocabulary")


def fields_of(what: str, kind: str | None = None) -> list[Field]:
    """The fields of a file, in the schema's order, with the resource kind's own fields after the common ones."""
    schema = schemas.load(what)
    required = set(schema.get("required", []))
    props = dict(schema.get("properties", {}))
    for branch in schema.get("allOf", []):
        if branch.get("if", {}).get("properties", {}).get("kind", {}).get("const") == kind:
            props.update(branch["then"].get("properties", {}))
            required |= set(branch["then"].get("required", []))
    out = []
    for name, node in props.items():
        key = f"{what}.{name}" if f"{what}.{name}" in HELP_TEXT or f"{what}.{name}" in EXAMPLES else name
        if kind and f"{kind}.{name}" in HELP_TEXT:
            key = f"{kind}.{name}"
        out.append(Field(name, node, name in required, key))
    return out


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="what", metavar="WHAT", required=True)
    for what in ("organization", "service", "resource", "case"):
        p = sub.add_parser(what, help=f"新建{KIND_WORDS[what]}",
                           description=f"新建{KIND_WORDS[what]}。未给出的必填值在终端中逐项提问;"
                                       "非交互运行时留空,并在文件中注明如何填写。")
        if what == "resource":
            p.add_argument("kind", choices=RESOURCE_KINDS, help="资源类型")
        if what != "organization":
            p.add_argument("--org", required=True, help="组织标识(catalog/organizations/ 下的文件夹名)")
        add_root(p)
        p.add_argument("--no-input", action="store_true", help="不提问(没有终端时自动如此)")
        p.add_argument("--today", type=iso_date, default=None, help="published/updated 的默认日期,默认今天")
        kinds = RESOURCE_KINDS if what == "resource" else (None,)
        seen: set[str] = set()
        for kind in kinds:
            for f in fields_of(what, kind):
                if f.name in seen or f.name == "schema_version" or f.shape == "object" or (what == "resource" and f.name == "kind"):
                    continue
                seen.add(f.name)
                hint = HELP_TEXT.get(f.key, "")
                many = "(多个值用逗号分隔)" if f.shape in ("terms", "list") else ""
                p.add_argument(f"--{f.name.replace('_', '-')}", dest=f"field_{f.name}", metavar="VALUE", help=hint + many)


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    what, kind = args.what, getattr(args, "kind", None)
    taxonomy = _vocabularies(root)
    if taxonomy is None:
        print(f"juli new: 找不到 {args.root}/catalog/taxonomy.yml,请在项目根目录运行或用 --root 指定。", file=sys.stderr)
        return 2
    org = getattr(args, "org", None)
    orgs = sorted(p.parent.name for p in (root / "catalog/organizations").glob("*/organization.yml"))
    if org is not None and org not in orgs:
        print(f"juli new: 没有组织 `{org}`。已有的组织:{'、'.join(orgs)}", file=sys.stderr)
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
        print("juli new: 请用 --id 给出标识(小写英文字母、数字和连字符,如 ip-consulting)。", file=sys.stderr)
        return 2
    rel = target(what, ident, org)
    path = root / rel
    if path.exists():
        print(f"juli new: {rel} 已经存在;修改已有条目请直接编辑该文件。", file=sys.stderr)
        return 1
    text = template(what, kind, rel, fields, values, taxonomy)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    print(f"已创建 {rel}")
    problems = [p for p in validate(root).problems if p.file == rel]
    if problems:
        print("还需要填写或修改(保存后运行 `juli validate` 复查):")
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
                return None, f"`{'、'.join(wrong)}` 不在词表中,可选:{'、'.join(options)}"
        return parts, ""
    if f.shape == "term":
        term = _term(raw, options) if options else raw
        if options and term not in options:
            return None, f"`{raw}` 不在词表中,可选:{'、'.join(options)}"
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
            return None, "日期写作 YYYY-MM-DD,如 2025-06-01" + (",时间写作 2025-06-01 09:30" if f.shape == "datetime" else "")
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
        value = input(f"标识({word},小写英文字母、数字和连字符,如 ip-consulting):").strip()
        if _ID.match(value):
            return value
        print("  标识只能用小写英文字母、数字和连字符,2 到 63 个字符。")


def _ask(f: Field, taxonomy: dict[str, list[str]]) -> Any:
    options = taxonomy.get(f.vocabulary or "", [])
    print(f"{f.name}:{HELP_TEXT.get(f.key, '')}")
    if options:
        print("  " + "  ".join(f"{i}. {name}" for i, name in enumerate(options, 1)))
        if f.shape == "terms":
            print("  可多选:输入编号或名称,用逗号分隔")
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
        f"# {KIND_WORDS[what]}{'(' + kind + ')' if kind else ''}。以 # 开头的行是说明,发布时忽略。",
        "# 必填项不能删除;可选项去掉行首的 # 即可启用。填写指南:网站“参与贡献”栏目(docs/contributing/)。",
        "# 冒号用英文半角 `:` 且后面加一个空格;缩进只用空格,不用 Tab。",
    ]
    blocks = []
    for f in fields:
        blocks.append(_field_block(f, values, taxonomy))
    return "\n".join(header) + "\n" + "\n".join(blocks)


def _field_block(f: Field, values: dict[str, Any], taxonomy: dict[str, list[str]]) -> str:
    options = taxonomy.get(f.vocabulary or "", [])
    note = HELP_TEXT.get(f.key, "")
    if f.name in ("schema_version", "kind"):
        return f"{f.name}: {values[f.name]}\n"
    lines = [f"# {note}({'必填' if f.required else '可选'})" if note else f"# ({'必填' if f.required else '可选'})"]
    if options:
        lines.append(f"# 可选:{'、'.join(options)}")
    if f.name in values:
        lines.append(_emit(f, values[f.name]))
    elif f.shape == "object":
        example = EXAMPLES.get(f.key, f"{f.name}:")
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
