"""Every kind of page a reader can reach, on a phone (360 px) and a desk (1280 px): axe-core finds no
serious or critical WCAG 2.1 A/AA violation, nothing scrolls sideways at 360 px, no id repeats, and the
defects issue 13 listed stay fixed (past events offer no calendar, the home page counts every upcoming
event, /favicon.ico exists)."""

from __future__ import annotations

import re

import pytest

from generator.model import urls
from generator.render import calendar, news


def kinds(c) -> dict[str, str]:
    event = next(e for e in c.resources if e.kind == "event")
    return {
        "home": "", "directory": "directory/", "directory-page-2": "directory/page/2/",
        "directory-filtered": "directory/?service=testing&district=110108", "service": urls.page(c.services[0]),
        "resource": urls.page(c.resources[0]), "event": urls.page(event), "cases": "cases/",
        "case": urls.page(c.cases[0]), "organizations": "organizations/", "organization": urls.page(c.organizations[0]),
        "map": "map/", "progress": "progress/", "data": "data/", "events": "events/", "changes": "changes/",
        "about": "about/", "policy": "policy/", "contributing": "contributing/", "search": "search/?q=检测",
        "share-desk": "share/", "share-kit": news.kit_items(c)[0].share_dir, "not-found": "404.html",
    }


NAMES = [
    "home", "directory", "directory-page-2", "directory-filtered", "service", "resource", "event", "cases", "case",
    "organizations", "organization", "map", "progress", "data", "events", "changes", "about", "policy",
    "contributing", "search", "share-desk", "share-kit", "not-found"]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", NAMES)
def test_page_kind_is_accessible_and_fits(name, width, new_page, site_server, built_site, axe, axe_report, overflow):
    page = new_page(width=width, height=800)
    page.goto(site_server.url(kinds(built_site.catalog)[name]))
    page.wait_for_load_state("networkidle")
    if name == "search":  # checked with its results shown
        page.locator("[data-juli-search=page] .juli-result").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    violations = axe(page)
    assert not violations, axe_report(violations)
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["clientWidth"], sizes
    repeated = page.evaluate("""() => { const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
                                        return ids.filter((v, i) => ids.indexOf(v) !== i); }""")
    assert not repeated, repeated


def test_past_events_offer_no_calendar(page, site_server, built_site):
    c = built_site.catalog
    past = calendar.past(c)
    assert past, "the sample catalog has past events"
    page.goto(site_server.url(urls.page(past[0])))
    assert page.locator("text=添加到日历").count() == 0
    assert page.locator("text=本场活动已结束").count() == 1
    page.goto(site_server.url("events/"))
    past_list = page.locator("#past ~ ul.juli-cards").first
    assert past_list.locator("li").count() == len(past)
    assert past_list.locator("text=添加到日历").count() == 0
    coming = calendar.upcoming(c)
    if coming:
        assert page.locator("#upcoming ~ ul.juli-cards").first.locator("text=添加到日历").count() == len(coming)


def test_home_counts_every_upcoming_event(page, site_server, built_site):
    page.goto(site_server.url(""))
    counts = page.locator(".juli-counts").inner_text()
    assert f"{len(calendar.upcoming(built_site.catalog))}\n场即将举办的活动" in counts or \
        re.search(rf"\b{len(calendar.upcoming(built_site.catalog))}\s*场即将举办的活动", counts), counts


def test_favicon_ico_is_served(page, site_server):
    response = page.request.get(site_server.url("favicon.ico"))
    assert response.status == 200 and response.body()[:4] == b"\0\0\1\0"  # an ICO file
