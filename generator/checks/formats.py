"""How problems are shown: as Chinese text for people, JSON for tools, annotations for GitHub Actions.

File names and messages quote contributed text, so neither can start a line of their own: the text
form shows control and invisible formatting characters as escapes (`printable`), and the GitHub form
escapes them by the runner's rules for workflow commands (`escape_data`, `escape_property`), so a file
named with a newline and `::warning …` cannot forge an annotation or any other workflow command.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter

from ..load.problems import CODES, Level, Problem

LEVEL_WORDS = {Level.ERROR: "错误", Level.WARNING: "警告"}


def as_text(problems: list[Problem], files_checked: int) -> str:
    lines = []
    for p in problems:
        field = f" 字段 {p.path}" if p.path else ""
        lines.append(f"{printable(p.file)}:{p.line}:{p.column}: {LEVEL_WORDS[p.level]} {p.code}{printable(field)}：{printable(p.message)}")
        lines.append(f"    修改方法：{printable(p.fix)}")
    counts = Counter(p.level for p in problems)
    if counts[Level.ERROR]:
        summary = f"检查了 {files_checked} 个文件：{counts[Level.ERROR]} 个错误，{counts[Level.WARNING]} 个警告。"
    else:
        summary = f"检查了 {files_checked} 个文件：没有错误" + (f"，{counts[Level.WARNING]} 个警告。" if counts[Level.WARNING] else "。")
    lines.append(summary)
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)


def as_github(problems: list[Problem]) -> str:
    """GitHub workflow commands: each problem becomes an annotation on its line of the changed file."""
    return "\n".join(
        f"::{p.level.value} file={escape_property(p.file)},line={p.line},col={p.column},"
        f"title={escape_property(p.code + ' ' + CODES[p.code].title)}::{escape_data(p.message + ' 修改方法：' + p.fix)}"
        for p in problems
    )


def escape_data(text: str) -> str:
    """The message of a workflow command (actions/toolkit `escapeData`)."""
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")  # a file name that is not UTF-8
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value of a workflow command: file=, line=, title= (actions/toolkit `escapeProperty`)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def printable(text: str) -> str:
    """`text` with control characters, line and paragraph separators and invisible formatting characters
    (bidi controls, zero-width characters) shown as escapes such as `\\n` or `\\u202e`."""
    if text.isprintable():
        return text
    return "".join(_visible(c) for c in text)


def _visible(char: str) -> str:
    if unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zl", "Zp"):
        return char
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")
