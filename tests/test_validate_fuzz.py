"""Property: whatever bytes a contributor sends, the validator answers with problems, never a traceback."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load.problems import CODES, Level
from validator_kit import SERVICE, CatalogKit

PATH = "catalog/organizations/test-org/services/ip-consulting.yml"

yaml_alphabet = st.sampled_from(list(string.printable) + list(":：-[]{}&*!|>'\"#%@`\t\u3000中文\ufeff") )
fragments = st.sampled_from([
    "id: ", "title: ", "fee: ", "- ", "  ", "\n", ": ", "&a ", "*a", "<<: ", "!!python/object ", "!!binary ",
    "'", '"', "{", "}", "[", "]", "|", ">", "---\n", "...\n", "%YAML 1.1\n", "? ", "2025-02-30", "1e9999",
    "\t", "：", "\u3000", "yes", "~", "0x1F", "11010519491231002X", "13812345678", "javascript:x",
])
documents = st.one_of(
    st.text(yaml_alphabet, max_size=300),
    st.lists(fragments, max_size=60).map("".join),
    st.builds(lambda head, cut: SERVICE[:cut] + head, st.text(yaml_alphabet, max_size=40), st.integers(0, len(SERVICE))),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=documents)
def test_malformed_yaml_gets_problems_never_a_traceback(tmp_path_factory, text):
    kit = CatalogKit(tmp_path_factory.mktemp("fuzz"))
    kit.write(PATH, text)
    problems = kit.problems()
    for p in problems:
        assert p.code in CODES and p.line >= 1 and p.column >= 1 and p.message
    if text == SERVICE:
        assert problems == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes_get_problems_never_a_traceback(tmp_path_factory, data):
    kit = CatalogKit(tmp_path_factory.mktemp("bytes"))
    kit.write(PATH, data)
    problems = kit.problems()
    assert all(p.code in CODES for p in problems)
    if problems:
        assert any(p.level in (Level.ERROR, Level.WARNING) for p in problems)
