"""No page, feed, export or share text shows a Python object where a reader expects words."""

from __future__ import annotations

import re

import pytest

from generator.model import urls
from generator.render import news

pytestmark = pytest.mark.slow

TEXT_SUFFIXES = {".html", ".txt", ".xml", ".json", ".csv", ".ics", ".svg"}
REPR = re.compile(r"\b(Term|Contact|Membership|Integrity|Figure|Image|Organization)\(|\bNone\b|datetime\.date\(")


def test_no_python_repr_reaches_the_site(built_site):
    leaks = {}
    for path in built_site.site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES:
            found = REPR.findall(path.read_text("utf-8", errors="replace"))
            if found:
                leaks[path.relative_to(built_site.site).as_posix()] = sorted(set(found))
    assert leaks == {}


def test_cooperation_kits_name_the_country(built_site):
    """Every cooperation in the feeds' window has a kit that names its partner's country; those outside
    have none. At least one is checked."""
    c = built_site.catalog
    checked = 0
    for item in c.resources:
        if item.kind == "cooperation":
            kit = built_site.site / urls.share_dir(item)
            assert kit.is_dir() == news.in_window(c, item), item.uid
            if kit.is_dir():
                assert item.country.name in (kit / "weibo-long.txt").read_text("utf-8")
                checked += 1
    assert checked
