"""JSON Schema checks, with every error translated into a Chinese message that names the fix."""

from __future__ import annotations

import difflib
import re
from datetime import date
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError

from .. import schemas
from ..load import Document
from ..load.problems import Problem
from . import fast

TYPE_NAMES = {
    "string": "文字", "integer": "整数", "number": "数字", "boolean": "true 或 false",
    "array": "列表", "object": "一组字段", "null": "空值",
}

_formats = FormatChecker(formats=("regex",))


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # other shapes: the pattern says how
        date.fromisoformat(value)
    return True


@cache
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A schema pattern as JSON Schema means it (ECMA-262): `$` only at the very end of the text. Python's
    `$` also matches before a final newline, which let a title end in a line break."""
    out, in_class, escaped = [], False, False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "$" and not in_class:
            ch = r"\Z"
        out.append(ch)
    return re.compile("".join(out))


def _pattern(validator, pattern: str, instance: Any, schema: dict):
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator(kind: str) -> Draft202012Validator:
    return _Validator(schemas.load(kind), registry=schemas.registry(), format_checker=_formats)


def check(kind: str, doc: Document) -> list[Problem]:
    version = doc.data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool):
        if version not in schemas.SUPPORTED_VERSIONS:
            return [doc.problem("JL208", ("schema_version",),
                                f"格式版本 {version} 不受支持，当前版本是 {schemas.CURRENT_VERSION}。")]
    errors = [] if fast.valid(kind, doc.data) else validator(kind).iter_errors(doc.data)
    found = [_translate(kind, doc, e) for e in _leaf_errors(errors)]
    problems = [p for group in found for p in group]
    if version in schemas.DEPRECATED_VERSIONS:
        problems.append(doc.problem("JL209", ("schema_version",),
                                    f"格式版本 {version} 即将停用，当前版本是 {schemas.CURRENT_VERSION}。"))
    return problems


def _leaf_errors(errors) -> list[ValidationError]:
    """Flatten if/then and $ref wrappers so each message speaks of one concrete field."""
    out = []
    for error in errors:
        if error.validator in ("allOf",) and error.context:
            out.extend(_leaf_errors(error.context))
        else:
            out.append(error)
    return sorted(out, key=lambda e: (list(map(str, e.absolute_path)), e.validator))


def _translate(kind: str, doc: Document, e: ValidationError) -> list[Problem]:
    path = tuple(e.absolute_path)
    name = str(path[-1]) if path else ""
    v, schema, instance = e.validator, e.schema, e.instance
    if v == "required":
        missing = [k for k in e.validator_value if isinstance(instance, dict) and k not in instance]
        return [doc.problem("JL200", path, f"缺少必填字段 `{k}`{_described(kind, k)}：在文件中加一行 `{k}: …`。") for k in missing]
    if v in ("additionalProperties", "unevaluatedProperties"):
        allowed = _allowed_fields(kind, e)
        extra = [k for k in instance if k not in allowed] if isinstance(instance, dict) else []
        return [doc.problem("JL201", path + (k,), f"字段 `{k}` 不在格式中{_suggest(k, allowed)}", key=True)
                for k in extra]
    if v == "type":
        expected = e.validator_value if isinstance(e.validator_value, list) else [e.validator_value]
        want = "或".join(TYPE_NAMES.get(t, t) for t in expected)
        got = TYPE_NAMES.get(_json_type(instance), "")
        if instance is None:
            return [doc.problem("JL202", path, f"`{name or '文件'}` 还没有填写：应为{want}{_described(kind, name)}{_list_hint(expected)}。")]
        hint = "（YAML 把 yes/no/on/off 当作真假值，把纯数字当作数字：请给文字加上引号）" if "string" in expected else ""
        return [doc.problem("JL202", path, f"`{name or '文件'}` 应为{want}，现在是{got}{hint}{_list_hint(expected)}。")]
    if v in ("enum", "const"):
        options = e.validator_value if v == "enum" else [e.validator_value]
        return [doc.problem("JL203", path, f"`{name}` 的值 `{instance}` 无效，可选：{'、'.join(map(str, options))}。")]
    if v == "format" and e.validator_value == "date":
        return [doc.problem("JL308", path, f"`{name}` 的日期 `{instance}` 不存在。")]
    if v == "pattern" and schema.get("pattern") == schemas.LINE_PATTERN and isinstance(instance, str) \
            and instance.strip() and re.search(r"[\n\r\u2028\u2029]", instance):
        return []  # a line break in a one-line field: the text check names it (JL117)
    if v in ("pattern", "format"):
        return [doc.problem("JL204", path, f"`{name}` 的值 `{_short(instance)}` 格式不对：{_format_hint(schema, name)}")]
    if v in ("minLength", "maxLength", "minItems", "maxItems"):
        return [doc.problem("JL205", path, _length_message(v, e.validator_value, name, instance))]
    if v == "uniqueItems":
        return [doc.problem("JL206", path, f"`{name}` 中有重复的项。")]
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        word = "不能小于" if "inimum" in v else "不能大于"
        return [doc.problem("JL207", path, f"`{name}` 的值 {instance} {word} {e.validator_value}。")]
    if v == "anyOf" and all("required" in s for s in e.validator_value):
        keys = "、".join(f"`{s['required'][0]}`" for s in e.validator_value)
        return [doc.problem("JL317", path, f"`{name}` 至少要填写 {keys} 之一。")]
    if v == "propertyNames":
        return [doc.problem("JL204", path, f"`{name}` 中的字段名不对：{_format_hint(e.validator_value, name)}")]
    return [doc.problem("JL204", path, f"`{name or '文件'}` 的值 `{_short(instance)}` 不符合格式要求。")]  # never the validator's English


def _list_hint(expected: list[str]) -> str:
    return "，多个值写成 `[值1, 值2]`" if "array" in expected else ""


def _allowed_fields(kind: str, e: ValidationError) -> list[str]:
    """Field names the schema accepts at this place, including the fields of the matching `kind`."""
    schema = e.schema
    allowed = list(schema.get("properties", {}))
    for branch in schema.get("allOf", []):
        if "if" in branch and validator(kind).evolve(schema=branch["if"]).is_valid(e.instance):
            allowed += list(branch.get("then", {}).get("properties", {}))
    return allowed


def _described(kind: str, key: str) -> str:
    prop = schemas.load(kind).get("properties", {}).get(key, {})
    desc = prop.get("description")
    return f"({desc})" if desc else ""


def _suggest(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    return f"，是否想写 `{close[0]}`？" if close else f"，可用字段：{'、'.join(allowed)}。"


_PATTERN_HINTS = {
    "^\\d{4}-\\d{2}-\\d{2}$": "日期写作 YYYY-MM-DD，如 2025-06-01（月和日都用两位数）。",
    "^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2})?$": "写作 YYYY-MM-DD 或 YYYY-MM-DD HH:MM，如 2025-06-01 09:30。",
    "^[a-z0-9][a-z0-9-]{1,62}$": "标识只能用小写英文字母、数字和连字符 -,2 到 63 个字符。",
    "^https?://[^\\s/$.?#][^\\s]*$": "网址必须以 http:// 或 https:// 开头，且不含空格。",
    "^[0-9A-HJ-NPQRTUWXY]{18}$": "统一社会信用代码是 18 位数字或大写字母（不含 I、O、S、V、Z）。",
    "^[A-Za-z0-9_][A-Za-z0-9_./-]{0,120}\\.(png|jpg|jpeg|webp)$":
        "图片只接受 PNG、JPEG、WebP：文件名以 .png、.jpg、.jpeg 或 .webp 结尾，只用英文字母、数字、- 和 _（SVG 请另存为 PNG）。",
}


_PATTERN_HINTS[schemas.LINE_PATTERN] = "写一行文字，不能只有空格。"


def _format_hint(schema: dict, name: str) -> str:
    pattern = schema.get("pattern", "")
    if pattern in _PATTERN_HINTS:
        return _PATTERN_HINTS[pattern]
    if schema.get("description"):
        return f"应为{schema['description']}。"
    return f"应符合格式 {pattern}。"


def _length_message(v: str, limit: int, name: str, instance: Any) -> str:
    if isinstance(instance, str):
        return f"`{name}` 有 {len(instance)} 个字，应{'不少于' if v == 'minLength' else '不超过'} {limit} 个字。"
    return f"`{name}` 有 {len(instance)} 项，应{'不少于' if v == 'minItems' else '不超过'} {limit} 项。"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"
