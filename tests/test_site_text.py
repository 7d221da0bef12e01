"""No page, feed, export or share text shows a Python object where a reader expects words."""

from __future__ import annotations

import re

TEXT_SUFFIXES = {".html", ".txt", ".xml", ".json", ".csv", ".ics", ".svg"}
REPR = re.compile(r"\b(Term|Contact|Membership|Integrity|Figure|Image|Organization)\(|\bNone\b|datetime\.date\(")


def test_no_python_repr_reaches_the_site(built_site):
    leaks = {}
    for path in built_site.site.rglob("*"):
        if path.suffix in TEXT_SUFFIXES and "pagefind" not in path.parts:
            found = REPR.findall(path.read_text("utf-8", errors="replace"))
            if found:
                leaks[path.relative_to(built_site.site).as_posix()] = sorted(set(found))
    assert leaks == {}


def test_cooperation_kits_name_the_country(built_site):
    for item in built_site.catalog.resources:
        if item.kind == "cooperation":
            kit = built_site.site / "share" / f"{item.org}.{item.id}"
            if kit.is_dir():
                assert item.country.name in (kit / "weibo-long.txt").read_text("utf-8")
