"""Characters no page, feed, cover or spreadsheet can carry safely, and invisible ones that can disguise
a title: decided here once, so whatever `juli validate` accepts every renderer can publish.

- Control characters (C0 but tab and line breaks, DEL, C1), Unicode noncharacters (U+FDD0–FDEF, U+xFFFE,
  U+xFFFF) and lone surrogates: refused everywhere. XML (feeds) cannot hold most of them, they draw
  as boxes, and no text needs them; they only arrive by copy and paste or by `"\\x01"` escapes.
- Bidirectional overrides, embeddings and isolates (U+202A–202E, U+2066–2069): refused everywhere. They
  reorder what a reader sees ("Trojan Source"); Chinese text never needs them.
- Direction marks (U+200E, U+200F, U+061C) and zero-width characters (U+200B, U+200C, U+2060, U+FEFF,
  and U+200D outside an emoji sequence): refused in titles, names and other one-line fields, where two
  entries could look identical; a warning in long text, where they are usually pasted from a web page.
- Line breaks (also CR, U+2028, U+2029) in a one-line field: refused; a title is one line.
"""

from __future__ import annotations

import re
import unicodedata

from .. import schemas
from ..load import Document, FieldPath
from ..load.problems import Problem

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe\uffff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)) + "]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c]")
_LINE_BREAK = re.compile("[\n\r\u2028\u2029]")

NAMES = {
    "\u200b": "零宽空格 U+200B", "\u200c": "零宽不连字 U+200C", "\u200d": "零宽连字 U+200D",
    "\u2060": "词连接符 U+2060", "\ufeff": "零宽不换行空格 U+FEFF", "\u200e": "从左到右标记 U+200E",
    "\u200f": "从右到左标记 U+200F", "\u061c": "阿拉伯字母标记 U+061C",
}


def codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def check(kind: str, doc: Document) -> list[Problem]:
    found: list[Problem] = []
    for at, value in doc.strings():
        if value.isprintable() and not _QUOTED_START.match(value):
            continue  # nearly every value (isprintable is false for every character refused here)
        field = schemas.text_field(kind, at)
        if "\n" in value and not (field and field.single_line) and value.replace("\n", "").isprintable() \
                and not _QUOTED_START.match(value):
            continue  # multi-line text with nothing else to look at
        found += check_value(doc, at, value, single_line=field is not None and field.single_line)
        if field is not None and _quoted_whole(value):
            found.append(doc.problem("JL119", at, f"整个值写在中文引号 {value[0]}{value[-1]} 中，引号会原样发布。"
                                                  f"应写成 `{at[-1]}: {value[1:-1].strip()}`。"))
    return found


_QUOTE_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "＂": "＂"}
_QUOTED_START = re.compile(r"\s*[“‘「『＂]")


def _quoted_whole(value: str) -> bool:
    """`“低空经济政策宣讲培训”`: quotes around the whole value, typed as YAML quotes with a Chinese IME."""
    value = value.strip()
    if len(value) < 3 or _QUOTE_PAIRS.get(value[0]) != value[-1]:
        return False
    inner = value[1:-1]
    return value[0] not in inner and value[-1] not in inner


def check_value(doc: Document, at: FieldPath, value: str, single_line: bool) -> list[Problem]:
    found = []
    bad = _CONTROL.search(value)
    if bad:
        found.append(doc.problem("JL113", at, f"第 {bad.start() + 1} 个字符是控制字符 {codepoint(bad.group())}，"
                                              "看不见，网页和订阅源也无法显示。"))
    bad = _NONCHARACTER.search(value) or _SURROGATE.search(value)
    if bad:
        what = "不成对的代理码位" if _SURROGATE.match(bad.group()) else "Unicode 非字符"
        found.append(doc.problem("JL114", at, f"第 {bad.start() + 1} 个字符 {codepoint(bad.group())} 是{what}，不代表任何文字。"))
    bad = _BIDI_CONTROL.search(value)
    if bad:
        found.append(doc.problem("JL115", at, f"第 {bad.start() + 1} 个字符是文字方向控制符 {codepoint(bad.group())}："
                                              "它会改变文字的显示顺序，让读者看到的与实际内容不同。"))
    invisible = [m for m in _INVISIBLE.finditer(value) if not _in_emoji_sequence(value, m.start())]
    if invisible:
        first = invisible[0]
        where = f"第 {first.start() + 1} 个字符是看不见的{NAMES[first.group()]}"
        if single_line:
            found.append(doc.problem("JL115", at, f"{where}：标题和名称中的隐形字符会让两个看起来相同的名称实际不同。"))
        else:
            found.append(doc.problem("JL116", at, f"{where}（共 {len(invisible)} 处），通常是从网页或文档中复制带来的。"))
    if single_line:
        bad = _LINE_BREAK.search(value)
        if bad:
            tail = "末尾" if not value[bad.end():].strip() else f"第 {bad.start() + 1} 个字符处"
            found.append(doc.problem("JL117", at, f"这一项只能写一行，但{tail}有换行符。"))
    return found


def _in_emoji_sequence(text: str, i: int) -> bool:
    """A zero-width joiner between two pictographs (👨‍👩‍👧) is part of one emoji, not a hidden character."""
    if text[i] != "\u200d" or i == 0 or i + 1 >= len(text):
        return False
    before = text[i - 2] if text[i - 1] == "\ufe0f" and i > 1 else text[i - 1]
    return unicodedata.category(before) == "So" and unicodedata.category(text[i + 1]) == "So"
