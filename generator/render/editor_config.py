"""The content editor at `/admin/` (Decap CMS): its configuration and its checks, generated from the same
JSON Schemas, taxonomy and Python rules the validator uses, so the form and `juli validate` cannot drift.

- `config(...)` turns every kind's schema into a Decap collection: one field per property, with the
  schema's `title` as the label and `description` as the help text, `required`, `pattern` (length limits
  folded into it), taxonomy terms as selects, images into the organization's folder, and new files
  placed in the organization's folder (`_org`, which the editor's file format never writes).
- `checks_js(...)` is the small module the form runs while typing: the USCC and organization-code check
  characters and the standard-number formats, as data taken from `checks.codes` and the taxonomy.

The Decap bundle is vendored from the pinned npm package into generator/assets/admin/vendor/ by
tools/vendor-editor.sh (committed, so `make site` needs no npm; a test compares it with node_modules).
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import yaml

from .. import schemas
from ..checks import codes

ADMIN = "admin/"  # where the editor is published
ASSETS = Path(__file__).resolve().parent.parent / "assets" / "admin"
VENDOR = ASSETS / "vendor"
LOCAL_PORT = 8081  # decap-server's default port; `juli edit --backend-port` and `?backend=` change it

# The resource kinds, one collection each (the schema's `if kind == … then …` branches).
RESOURCE_KINDS = ("standard", "platform", "report", "patent_pool", "event", "facility", "cooperation", "journal")

# Fields the form checks with a rule from `checks_js` beyond the schema (the same rules as generator/checks).
CHECKED = {("organization", "uscc"): "uscc", ("standard", "number"): "standard_number"}
IDENTIFIER = "id"  # the field whose value names the file: a text box with a pinyin suggestion

ORG_FIELD = {  # not `required`: existing files have no such key (the folder says it); new ones are checked by the widget
    "name": "_org", "label": "所属组织标识", "widget": "juli-org", "required": False,
    "hint": "新建时必填\uff1a本组织文件夹的名称\uff08组织标识\uff09\uff0c如 bj-ai-industry-alliance\uff0c会自动填上你上次保存的组织\uff1b新组织请先保存组织简介。",
}


def _resolve(node: dict) -> dict:
    """A property with its `$ref` to the shared definitions merged in (its own keywords win), marked with
    the definition's name and the words the property itself declares."""
    name = schemas.definition(node)
    if not name:
        return node
    merged = copy.deepcopy(schemas.resolve(node)[0])
    merged["_def"] = name
    merged["_own"] = {k: node[k] for k in ("title", "description") if k in node}
    return merged


def _label(name: str, node: dict) -> str:
    """The property's `title`; else the first short phrase of its own `description`; else the key. (A
    shared definition's words, such as "日期", describe the format, not the field.)"""
    own = node.get("_own", node)
    if own.get("title"):
        return str(own["title"])
    first = re.split(r"[,,::((；；、 /]", str(own.get("description") or ""), maxsplit=1)[0].strip()
    return first if first and len(first) <= 12 and not first.isascii() else name


def _length_pattern(node: dict) -> str | None:
    low, high = node.get("minLength"), node.get("maxLength")
    pattern = node.get("pattern")
    if low is None and high is None:
        return pattern
    bounds = f"{{{low or 0},{high if high is not None else ''}}}"
    look = f"^(?=[\\s\\S]{bounds}$)"
    return look + (pattern[1:] if pattern and pattern.startswith("^") else f"[\\s\\S]*{pattern or ''}")


def _message(label: str, node: dict) -> str:
    low, high = node.get("minLength"), node.get("maxLength")
    size = ""
    if low and high:
        size = f"长度 {low}–{high} 个字"
    elif high:
        size = f"最多 {high} 个字"
    elif low:
        size = f"至少 {low} 个字"
    what = node.get("description") or ""
    return "格式不对：" + "；".join(x for x in (what, size) if x) + "。" if (what or size) else f"{label}格式不对。"


def _field(kind: str, name: str, raw: dict, required: bool, vocabularies: Mapping[str, Sequence[str]]) -> dict:
    node = _resolve(raw)
    label = _label(name, node)
    field: dict[str, Any] = {"name": name, "label": label}
    if node.get("description") and node["description"] != label:
        field["hint"] = str(node["description"])
    field["required"] = required
    vocabulary = node.get("x-vocabulary")
    kind_of = node.get("type")
    if name == "schema_version":
        return {"name": name, "label": "格式版本", "widget": "hidden", "default": schemas.CURRENT_VERSION}
    if vocabulary:
        many = node.get("_def") == "terms" or kind_of == "array"
        field.update(widget="select", options=list(vocabularies.get(vocabulary, ())), multiple=many)
        if many and node.get("minItems"):
            field["min"] = node["minItems"]
        return field
    if "enum" in node:
        field.update(widget="select", options=list(node["enum"]))
        return field
    if name == IDENTIFIER and kind != "figures":
        field.update(widget="juli-id", source=["short_name", "name"] if kind == "organization" else ["title"],
                     pattern=[node["pattern"], "标识只能用小写英文字母、数字和连字符（2–63 个字符）。"])
        return field
    if (kind, name) in CHECKED:
        field.update(widget="juli-checked", check=CHECKED[(kind, name)])
        return field
    if node.get("_def") == "file":
        field.update(widget="image", choose_url=False)
        return field
    if node.get("_def") in ("date", "datetime"):
        with_time = node["_def"] == "datetime"
        field.update(widget="datetime", format="YYYY-MM-DD HH:mm" if with_time else "YYYY-MM-DD",
                     date_format="YYYY-MM-DD", time_format="HH:mm" if with_time else False)
        field["pattern"] = [node["pattern"], f"{label}写作 " + ("YYYY-MM-DD HH:MM" if with_time else "YYYY-MM-DD")]
        return field
    if kind_of in ("integer", "number"):
        field.update(widget="number", value_type="int" if kind_of == "integer" else "float")
        for key, out in (("minimum", "min"), ("maximum", "max")):
            if key in node:
                field[out] = node[key]
        return field
    if kind_of == "boolean":
        field.update(widget="boolean", default=False)
        return field
    if kind_of == "object":
        props = node.get("properties")
        if not props:  # a map of free keys (e.g. standards per level) has no form; left to the file
            return {}
        inner = set(node.get("required", ()))
        field.update(widget="object", collapsed=not required,
                     fields=[f for key, sub in props.items() if (f := _field(kind, key, sub, key in inner, vocabularies))])
        if "anyOf" in node:
            needed = [alt["required"][0] for alt in node["anyOf"] if alt.get("required")]
            field["hint"] = (field.get("hint", "") + " " if field.get("hint") else "") + "、".join(needed) + " 至少填一项。"
            field["juli_any_of"] = needed
        return field
    if kind_of == "array":
        items = _resolve(node.get("items", {}))
        field["widget"] = "list"
        if items.get("type") == "object" or "properties" in items:
            inner = set(items.get("required", ()))
            field["fields"] = [f for key, sub in items["properties"].items() if (f := _field(kind, key, sub, key in inner, vocabularies))]
            field["collapsed"] = False
            if "anyOf" in items:
                field["juli_any_of"] = [alt["required"][0] for alt in items["anyOf"] if alt.get("required")]
        else:
            field["field"] = {"name": "item", "label": label, "widget": "string"}
            pattern = _length_pattern(items)
            if pattern:
                field["field"]["pattern"] = [pattern, _message(label, items)]
        for key, out in (("minItems", "min"), ("maxItems", "max")):
            if key in node:
                field[out] = node[key]
        return field
    long_text = node.get("_def") in ("markdown", "summary") or (not node.get("pattern") and (node.get("maxLength") or 0) > 120)
    field["widget"] = "text" if long_text else "string"
    pattern = _length_pattern(node)
    if pattern:
        field["pattern"] = [pattern, _message(label, node)]
    return field


def _fields(kind: str, schema: dict, vocabularies, extra: dict | None = None, skip: Sequence[str] = ()) -> list[dict]:
    props = dict(schema["properties"])
    required = set(schema.get("required", ()))
    if extra:
        props.update(extra.get("properties", {}))
        required |= set(extra.get("required", ()))
    return [f for name, sub in props.items() if name not in skip and (f := _field(kind, name, sub, name in required, vocabularies))]


def _collection(name: str, label: str, folder: str, path: str, fields: list[dict], description: str, **more) -> dict:
    out = {"name": name, "label": label, "label_singular": label, "description": description, "folder": folder,
           "path": path, "extension": "yml", "format": "juli-yaml", "create": True, "identifier_field": "id",
           "slug": "{{slug}}", "summary": "{{title}} · {{dirname}}", "fields": fields}
    out.update(more)
    return out


def collections(vocabularies: Mapping[str, Sequence[str]], kind_names: Mapping[str, str]) -> list[dict]:
    """One collection per kind of file (resources: one per resource kind), in the order contributors need them."""
    org = schemas.load("organization")
    service = schemas.load("service")
    resource = schemas.load("resource")
    case = schemas.load("case")
    out = [
        _collection("organization", "组织简介", "catalog/organizations", "{{slug}}/organization",
                    _fields("organization", org, vocabularies), "每个组织一个文件夹；新组织从这里开始。",
                    summary="{{name}} · {{dirname}}", media_folder="", public_folder="",
                    filter={"field": "_shape", "value": "organization"}),
        _collection("service", "服务产品", "catalog/organizations", "{{_org}}/services/{{slug}}",
                    [ORG_FIELD, *_fields("service", service, vocabularies)], "面向企业的服务产品。",
                    filter={"field": "_shape", "value": "service"}),
    ]
    branches = {b["if"]["properties"]["kind"]["const"]: b["then"] for b in resource.get("allOf", [])}
    for kind in RESOURCE_KINDS:
        fields = _fields(kind, resource, vocabularies, branches.get(kind), skip=("kind",))
        fields.insert(2, {"name": "kind", "label": "资源类型", "widget": "hidden", "default": kind})
        out.append(_collection(f"resource-{kind.replace('_', '-')}", kind_names.get(kind, kind), "catalog/organizations",
                               "{{_org}}/resources/{{slug}}", [ORG_FIELD, *fields], f"资源：{kind_names.get(kind, kind)}。",
                               filter={"field": "kind", "value": kind}))
    out.append(_collection("case", "典型案例", "cases", "{{_org}}/{{slug}}", [ORG_FIELD, *_fields("case", case, vocabularies)],
                           "服务企业的典型案例；图片上传到本组织案例文件夹的 images/ 中。", media_folder="images", public_folder="images",
                           filter={"field": "_shape", "value": "case"}))
    figures = schemas.load("figures")
    out.append({"name": "figures", "label": "年度服务数据", "label_singular": "年度服务数据",
                "description": "各组织每年填报的服务数据。", "folder": "catalog/organizations", "path": "{{_org}}/figures",
                "extension": "yml", "format": "juli-yaml", "create": True, "slug": "figures",
                "identifier_field": "_org", "summary": "{{dirname}}", "filter": {"field": "_shape", "value": "figures"},
                "fields": [ORG_FIELD, *_fields("figures", figures, vocabularies)]})
    return out


def backend(settings: Mapping[str, Any] | None) -> dict:
    """Decap's `backend` from `editor:` in catalog/programme.yml (see the office handbook)."""
    settings = dict(settings or {})
    name = settings.get("backend", "github")
    out: dict[str, Any] = {"name": name, "repo": settings.get("repo", ""), "branch": settings.get("branch", "main"),
                           "open_authoring": bool(settings.get("open_authoring", True)),
                           "squash_merges": True, "cms_label_prefix": "juli/"}
    if name == "github":
        if settings.get("auth_proxy"):
            out["base_url"] = settings["auth_proxy"].rstrip("/")
    else:
        host = str(settings.get("host", "")).rstrip("/")
        out.update(base_url=host, api_root=f"{host}/api/v1", auth_type="pkce", app_id=settings.get("app_id", ""))
    out["commit_messages"] = {"create": "新增 {{collection}}:{{slug}}", "update": "修改 {{collection}}:{{slug}}",
                              "delete": "删除 {{collection}}:{{slug}}", "uploadMedia": "上传图片 {{path}}",
                              "deleteMedia": "删除图片 {{path}}", "openAuthoring": "{{message}}（贡献者 {{author-login}}）"}
    return out


def config(vocabularies: Mapping[str, Sequence[str]], kind_names: Mapping[str, str], editor: Mapping[str, Any] | None,
           site_url: str) -> dict:
    return {
        "backend": backend(editor),
        "publish_mode": "editorial_workflow",
        "local_backend": {"url": f"http://127.0.0.1:{LOCAL_PORT}/api/v1", "allowed_hosts": ["127.0.0.1", "localhost"]},
        "locale": "zh_Hans",
        "site_url": site_url,
        "display_url": site_url,
        "media_folder": "catalog/organizations",
        "public_folder": "",
        "load_config_file": True,
        "show_preview_links": False,
        "editor": {"preview": False},
        "search": True,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": collections(vocabularies, kind_names),
    }


def config_yaml(cfg: dict) -> bytes:
    head = "# 由 juli build 根据 generator/schemas 与 catalog/taxonomy.yml 生成，请勿手改。\n"
    return (head + yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False, width=1000)).encode("utf-8")


def checks_js(levels: Sequence[Mapping[str, Any]]) -> bytes:
    """The data of the form's checks, from the validator's own definitions (`checks.codes`, taxonomy)."""
    data = {
        "usccAlphabet": codes.USCC_ALPHABET,
        "usccWeights": list(codes.USCC_WEIGHTS),
        "orgCodeWeights": list(codes.ORG_CODE_WEIGHTS),
        "socialOrgPrefixes": list(codes.SOCIAL_ORG_PREFIXES),
        "standardLevels": [{"name": t["name"], "pattern": t["pattern"], "example": t.get("example", "")}
                           for t in levels if t.get("pattern")],
        "anyOf": dict(sorted(_any_of().items())),
        "pinyin": pinyin_table(),
    }
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return f"/* 由 juli build 从 generator/checks/codes.py 与 catalog/taxonomy.yml 生成，请勿手改。 */\nwindow.JULI_RULES = {body};\n".encode("utf-8")


def pinyin_table() -> dict[str, str]:
    """Toneless pinyin → the GB 2312 characters read so (their most common reading, from pypinyin), for
    the form's "标识" suggestion from a Chinese title; grouped by syllable to stay small (~30 KB)."""
    from pypinyin import Style, lazy_pinyin

    table: dict[str, list[str]] = {}
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            syllable = lazy_pinyin(char, style=Style.NORMAL, errors="ignore", v_to_u=False)
            if syllable and syllable[0].isascii() and syllable[0].isalpha():
                table.setdefault(syllable[0].lower(), []).append(char)
    return {s: "".join(chars) for s, chars in sorted(table.items())}


def _any_of() -> dict[str, list[str]]:
    """Property name → the keys of which the schemas require at least one (`anyOf` of `required`)."""
    found: dict[str, list[str]] = {}

    def walk(node: Any, name: str | None) -> None:
        if isinstance(node, dict):
            target = _resolve(node) if "$ref" in node else node
            items = _resolve(target["items"]) if isinstance(target.get("items"), dict) else {}
            for alts in (target.get("anyOf"), items.get("anyOf")):
                if name and alts:
                    found[name] = [alt["required"][0] for alt in alts if alt.get("required")]
            for key, sub in target.get("properties", {}).items():
                walk(sub, key)
            for key in ("items", "allOf", "then"):
                if key in target:
                    walk(target[key], name if key == "items" else None)
        elif isinstance(node, list):
            for sub in node:
                walk(sub, None)

    for kind in ("organization", "service", "resource", "case"):
        walk(schemas.load(kind), None)
    return found


def admin_files() -> Iterator[tuple[str, bytes]]:
    """(published name, bytes) of the editor's fixed files: the page, its glue code and the vendored
    Decap CMS and js-yaml copies (see tools/vendor-editor.sh), without source maps."""
    for path in sorted(ASSETS.iterdir()):
        if path.is_file():
            yield path.name, path.read_bytes()
    for path in sorted(VENDOR.iterdir()):
        if path.suffix in (".js", ".wasm"):
            yield path.name, path.read_bytes()


def collection_of(item_kind: str, resource_kind: str | None = None) -> str:
    """The collection that edits an item: organization, service, case, or resource-<kind>."""
    if item_kind == "resource" and resource_kind:
        return f"resource-{resource_kind.replace('_', '-')}"
    return item_kind
