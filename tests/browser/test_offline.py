"""The site works with no network and on a phone: no page asks a host other than the one serving it,
and none scrolls sideways at 360 px."""

from __future__ import annotations

import pytest

from generator.model import urls

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def test_request_guard_blocks_and_reports_other_hosts(page, site_server):
    """The guard every browser test relies on: a request to another host is aborted and recorded."""
    page.goto(site_server.url(""))
    page.evaluate("""() => new Promise(done => {
        const img = new Image(); img.onload = img.onerror = done; img.src = 'http://example.com/pixel.png';
    })""")
    assert page.traffic.blocked == ["http://example.com/pixel.png"]
    assert any(url.startswith(site_server.base) for url in page.traffic.urls())
    page.traffic.blocked.clear()
    page.traffic.requests[:] = [r for r in page.traffic.requests if r.url.startswith(site_server.base)]


def site_pages(catalog) -> dict[str, str]:
    """One page of every sort a reader lands on, by name."""
    event = next(e for e in catalog.resources if e.kind == "event")
    return {
        "home": "", "directory": "directory/", "entry": urls.page(catalog.services[0]),
        "resource": urls.page(catalog.resources[0]), "event": urls.page(event), "cases": "cases/",
        "case": urls.page(catalog.cases[0]), "organization": urls.page(catalog.organizations[0]),
        "search": "search/?q=" + "知识产权",
    }


PAGES = ["home", "directory", "entry", "resource", "event", "cases", "case", "organization", "search"]


@pytest.mark.parametrize("name", PAGES)
def test_page_stays_on_localhost_and_fits_a_phone(name, page, site_server, built_site, overflow):
    path = site_pages(built_site.catalog)[name]
    response = page.goto(site_server.url(path))
    assert response.ok, f"{path}: HTTP {response.status}"
    page.wait_for_load_state("networkidle")
    if name == "search":
        page.locator("[data-juli-search=page] .juli-result").first.wait_for()
    assert page.traffic.blocked == [], f"{path} asked other hosts: {page.traffic.blocked}"
    failed = [r.url for r in page.traffic.requests if r.failure]
    assert failed == [], f"{path}: failed requests {failed}"
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["clientWidth"], f"{path} scrolls sideways at 360 px: {sizes}"
    # Nothing sticks out of the screen either, unless it sits in its own scroll box (wide tables do).
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) return true; } return false; };
        return [...document.querySelectorAll('body *')]
            .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > width + 1
                         && getComputedStyle(e).visibility !== 'hidden' && !clipped(e))
            .slice(0, 5).map(e => e.tagName + '.' + e.className);
    }""")
    assert wide == [], f"{path}: elements wider than the screen {wide}"
