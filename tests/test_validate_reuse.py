"""Validation reuses a file's parse and schema result only for the very same bytes.

`validate()` keeps each file's result in the process (for `juli serve`); these tests validate the
same catalog on disk again and again in one process, change files between calls, and expect exactly
what a fresh validation reports — even when an edit keeps the file's size and modification time.
"""

from __future__ import annotations

import os

from generator.checks import validate
from validator_kit import CatalogKit

SERVICE = "catalog/organizations/test-org/services/ip-consulting.yml"


def _codes(root):
    return sorted({(p.code, p.file) for p in validate(root).problems})


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path):
    kit = CatalogKit(tmp_path)
    assert _codes(tmp_path) == []
    path = tmp_path / SERVICE
    before = path.stat()
    kit.edit(SERVICE, "summary:", "summaru:")  # same length: an unknown field, a missing one
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert ("JL201", SERVICE) in _codes(tmp_path)
    kit.edit(SERVICE, "summaru:", "summary:")
    assert _codes(tmp_path) == []


def test_documents_follow_edits_removals_and_renames(tmp_path):
    kit = CatalogKit(tmp_path)
    first = {s.rel: d.data for s, d in validate(tmp_path).documents}
    kit.edit(SERVICE, "专利布局", "专利导航")
    second = {s.rel: d.data for s, d in validate(tmp_path).documents}
    assert "专利导航" in second[SERVICE]["summary"] and "专利布局" in first[SERVICE]["summary"]

    renamed = SERVICE.replace("ip-consulting", "ip-advice")
    os.rename(tmp_path / SERVICE, tmp_path / renamed)
    result = validate(tmp_path)
    assert SERVICE not in {s.rel for s, _ in result.documents}
    assert renamed in {s.rel for s, _ in result.documents}
    assert ("JL300", renamed) in {(p.code, p.file) for p in result.problems}  # the id no longer matches the name

    (tmp_path / renamed).unlink()
    assert renamed not in {s.rel for s, _ in validate(tmp_path).documents}
