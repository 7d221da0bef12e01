"""CSV cells that a spreadsheet would run as a formula, neutralised as OWASP recommends ("CSV Injection"):
a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, which
Excel, WPS and LibreOffice show as text and do not evaluate. The full-width forms `＝＋－＠` are treated
the same way: a spreadsheet with a Chinese or Japanese input method turns them into formula signs when a
cell is edited, and a quote costs nothing. Only the CSV files change; JSON keeps every value exact."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def cell(value: Any) -> Any:
    """`value` as a CSV cell that opens as the text it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: Any) -> Any:
    """A CSV row (a sequence, or a dict for `csv.DictWriter`) with every text cell neutralised."""
    if isinstance(values, dict):
        return {key: cell(value) for key, value in values.items()}
    return [cell(value) for value in values]
