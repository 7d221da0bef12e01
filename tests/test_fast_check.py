"""The compiled pre-check (generator/checks/fast.py) may only ever say "valid" when the full validator
finds nothing: otherwise it would hide problems. Hypothesis mutates real shipped entries with values
on which Rust and Python regular expressions, formats and numbers are known to disagree."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import schemas
from generator.checks import fast
from generator.checks.schema import validator
from generator.load import discover, read

ROOT = Path(__file__).resolve().parent.parent

TRICKY_TEXT = st.sampled_from([
    "", " ", "\u3000", "\x1c", "ab\x1f", "标题\n", "\n标题", "２０２５-０１-０１", "2025-02-30", "2025-W01-1",
    "2025-1-01", "http://a\x1c", "https://例子.中国/", "https://a b", "T/ZSA 12—2021", "GB/T 1.1—2020\n",
    "x" * 81, "字" * 301, "Ab", "ab", "a\u0085b", "\ufeffhttps://a.cn/", "\ud800",
])
VALUES = st.one_of(
    TRICKY_TEXT, st.text(max_size=12), st.integers(min_value=-3, max_value=3), st.integers(min_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True), st.booleans(), st.none(),
    st.lists(TRICKY_TEXT, max_size=3), st.just({}), st.just([1, 1.0]), st.just(["a", "a"]),
)


def _documents() -> list[tuple[str, dict]]:
    sources, _ = discover(ROOT)
    docs = []
    for source in sources:
        doc, _ = read(source.path, source.rel)
        if doc is not None:
            docs.append((source.kind, doc.data))
    return docs


DOCUMENTS = _documents()


def _paths(data, at=()):
    yield at
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, at + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _paths(value, at + (i,))


def test_every_shipped_entry_takes_the_fast_path():
    assert DOCUMENTS
    slow = [kind for kind, data in DOCUMENTS if not list(validator(kind).iter_errors(data)) and not fast.valid(kind, data)]
    assert slow == []


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_path_never_accepts_what_the_full_validator_rejects(data):
    kind, original = data.draw(st.sampled_from(DOCUMENTS))
    doc = copy.deepcopy(original)
    path = data.draw(st.sampled_from([p for p in _paths(doc) if p]))
    value = data.draw(VALUES)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = value
    if data.draw(st.booleans()):
        doc[data.draw(st.sampled_from(["extra", "Title", "kind", "number", "place"]))] = data.draw(VALUES)
    if fast.valid(kind, doc):
        assert list(validator(kind).iter_errors(doc)) == []


@pytest.mark.parametrize("field, value", [("title", "\x1c"), ("apply_url", "http://a\x1c")])
def test_disagreeing_regex_classes_fall_through(field, value):
    """Rust counts \x1c as a visible character, Python as whitespace: the plugged-in pattern decides."""
    kind, original = next((k, d) for k, d in DOCUMENTS if k == "service" and field in d)
    doc = dict(original, **{field: value})
    pattern = validator(kind).schema["properties"][field]["$ref"].rpartition("/")[2]
    assert jsonschema_rs.validator_for({"pattern": schemas.load("common")["$defs"][pattern]["pattern"]}).is_valid(value)
    assert list(validator(kind).iter_errors(doc))
    assert not fast.valid(kind, doc)
