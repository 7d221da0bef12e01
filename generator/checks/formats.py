"""How problems are shown: as Chinese text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

import json
from collections import Counter

from .problems import CODES, Level, Problem

LEVEL_WORDS = {Level.ERROR: "错误", Level.WARNING: "警告"}


def as_text(problems: list[Problem], files_checked: int) -> str:
    lines = []
    for p in problems:
        field = f" 字段 {p.path}" if p.path else ""
        lines.append(f"{p.file}:{p.line}:{p.column}: {LEVEL_WORDS[p.level]} {p.code}{field}:{p.message}")
        lines.append(f"    修改方法:{p.fix}")
    counts = Counter(p.level for p in problems)
    if counts[Level.ERROR]:
        summary = f"检查了 {files_checked} 个文件:{counts[Level.ERROR]} 个错误,{counts[Level.WARNING]} 个警告。"
    else:
        summary = f"检查了 {files_checked} 个文件:没有错误" + (f",{counts[Level.WARNING]} 个警告。" if counts[Level.WARNING] else "。")
    lines.append(summary)
    return "\n".join(lines)


def as_json(problems: list[Problem]) -> str:
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)


def as_github(problems: list[Problem]) -> str:
    """GitHub workflow commands: each problem becomes an annotation on its line of the changed file."""
    return "\n".join(
        f"::{p.level.value} file={_escape_property(p.file)},line={p.line},col={p.column},"
        f"title={_escape_property(p.code + ' ' + CODES[p.code].title)}::{_escape_data(p.message + ' 修改方法:' + p.fix)}"
        for p in problems
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
