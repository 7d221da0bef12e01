"""A compiled pre-check that lets valid documents skip the pure-Python JSON Schema pass.

Nearly every file of a real catalog is valid, and the pure-Python validator spends ~0.5 ms proving it
(6 s on 10,000 entries). jsonschema-rs answers "valid or not" in microseconds. It only ever says
"valid, nothing to report": any doubt (invalid, or a value it cannot read) falls through to the full
validator in `schema.py`, which produces the messages. So it must never accept what the full validator
rejects; the two places where the engines differ by design are plugged with the full validator's own
code: `pattern` runs the full validator's `re.search` (Python's `\\s` and `\\d` differ from Rust's), and the
`date`/`regex` formats run the same FormatChecker. Every other keyword is exact in both.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Callable

import jsonschema_rs

from .. import schemas

_BASE = "https://juli.invalid/schemas/"


class _PythonPattern:
    """The `pattern` keyword with Python's regular expressions, as the full validator applies it."""

    def __init__(self, parent_schema: dict, value: str, schema_path: list):
        from .schema import ecma_pattern

        self.regex = ecma_pattern(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not self.regex.search(instance):
            raise ValueError("pattern")


@cache
def _validator(kind: str) -> jsonschema_rs.Draft202012Validator:
    from .schema import _formats  # the full validator's format checker, shared rather than copied

    def conforms(name: str) -> Callable[[str], bool]:
        return lambda value: _formats.conforms(value, name)

    registry = jsonschema_rs.Registry([(_BASE + "common.schema.json", schemas.load("common"))])
    return jsonschema_rs.Draft202012Validator(
        schemas.load(kind), registry=registry, base_uri=f"{_BASE}{kind}.schema.json", offline=True,
        validate_formats=True, formats={name: conforms(name) for name in _formats.checkers},
        keywords={"pattern": _PythonPattern},
    )


def valid(kind: str, data: Any) -> bool:
    """True only when `data` certainly passes the kind's schema; False means "ask the full validator"."""
    try:
        return _validator(kind).is_valid(data)
    except Exception:  # a value the compiled validator cannot represent (huge int, NaN, lone surrogate)
        return False
