"""The same input builds the same files on any day: dates come from the entries, never the clock."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import build
from generator.model.freshness import as_of

from projects import ROOT, copy_project

pytestmark = pytest.mark.slow


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_two_builds_in_different_folders_and_time_zones_are_byte_identical(tmp_path):
    """The same project built twice — in two folders, by two processes, one in UTC and one fourteen hours
    ahead (another calendar day for most of the day) — gives the same files, every byte."""
    first, second = copy_project(tmp_path / "a"), copy_project(tmp_path / "elsewhere" / "b")
    one = build(first).site
    env = {**os.environ, "TZ": "Pacific/Kiritimati", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(second)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    ours, theirs = _tree(one), _tree(second / "site")
    assert len(ours) > 500
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []


def test_sitemap_dates_come_from_the_catalog_not_the_clock(built_site):
    sitemap = (built_site.site / "sitemap.xml").read_text("utf-8")
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", sitemap))
    assert dates == {as_of(built_site.catalog).isoformat()}


def test_no_page_carries_a_build_timestamp(built_site):
    day = as_of(built_site.catalog).isoformat()
    for page in ("index.html", "directory/index.html", "sitemap.xml", "feed.xml", "atom.xml"):
        text = (built_site.site / page).read_text("utf-8")
        stamps = set(re.findall(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d", text))
        assert all(s[:10] <= day for s in stamps), (page, stamps)
