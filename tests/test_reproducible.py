"""The same input builds the same files on any day: dates come from the entries, never the clock."""

from __future__ import annotations

import re

from generator.model.freshness import as_of


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
