"""The directory and case filters in a real browser: they narrow the listing, show counts, live in the
URL (a reloaded or shared link restores them) and fit a 360 px phone screen."""

from __future__ import annotations

import pytest
import json
import re

from generator.model import Service

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def _facet(built_site, page_dir: str, name: str, key: str) -> dict:
    data = json.loads((built_site.site / page_dir / name).read_text("utf-8"))
    return data, next(f for f in data["facets"] if f["key"] == key)


def _shown(page) -> int:
    return int(re.search(r"(\d+)", page.locator(".juli-status").inner_text()).group(1))


def _open_and_check(page, key: str, term_id: str) -> None:
    box = page.locator(f'input[name="{key}"][value="{term_id}"]')
    box.locator("xpath=ancestor::details").locator("summary").click()
    box.check()


def test_filters_narrow_the_listing_show_counts_and_survive_a_reload(page, site_server, built_site, overflow):
    c = built_site.catalog
    page.goto(site_server.url("directory/"))
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    assert _shown(page) == len(c.entries)
    assert page.locator(".juli-cards > li").count() == min(50, len(c.entries))

    # Kind: services only. The label shows how many entries that choice gives.
    label = page.locator('label:has(input[name="kind"][value="service"])').text_content()
    assert f"({len(c.services)})" in label
    _open_and_check(page, "kind", "service")
    assert _shown(page) == len(c.services)
    assert "kind=service" in page.url

    # And a field: the listing narrows to services in that field; counts in other facets follow.
    _, fields = _facet(built_site, "directory", "entries.json", "field")
    field_id = max(fields["terms"], key=lambda t: sum(t[0] in {f.id for f in e.fields} for e in c.services))[0]
    expected = [e for e in c.services if field_id in {f.id for f in e.fields}]
    assert 0 < len(expected) < len(c.services)
    _open_and_check(page, "field", field_id)
    assert _shown(page) == len(expected)
    titles = sorted(page.locator(".juli-cards a.juli-card-title").all_inner_texts())
    assert titles == sorted(e.title for e in expected)[:50]
    assert f"field={field_id}" in page.url

    # Reload the shared URL: the same choice and the same result, with the groups opened.
    url = page.url
    page.goto(url)
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    assert page.locator('input[name="kind"][value="service"]').is_checked()
    assert page.locator(f'input[name="field"][value="{field_id}"]').is_checked()
    assert _shown(page) == len(expected)

    # A card leads to its entry page.
    first = page.locator(".juli-cards a.juli-card-title").first
    title = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert page.locator("h1").first.inner_text() == title

    # No filter reloads the page, and nothing scrolls sideways on a phone.
    page.goto(url)
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["clientWidth"], sizes


def test_clearing_filters_restores_the_whole_listing(page, site_server, built_site):
    c = built_site.catalog
    org = c.organizations[0]
    page.goto(site_server.url(f"directory/?org={org.id}"))
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    assert _shown(page) == len(c.entries_of(org.id))
    page.get_by_role("button", name="清除全部筛选").click()
    assert _shown(page) == len(c.entries)
    assert "org=" not in page.url


def test_filter_rows_are_large_enough_to_tap(page, site_server):
    page.goto(site_server.url("directory/"))
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    page.locator(".juli-filters summary").first.click()
    for handle in page.locator(".juli-filters details[open] label").all()[:5]:
        assert handle.bounding_box()["height"] >= 44
    assert page.locator(".juli-filters summary").first.bounding_box()["height"] >= 44


def test_cases_filter_by_field_and_capability(page, site_server, built_site, overflow):
    c = built_site.catalog
    page.goto(site_server.url("cases/"))
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    assert _shown(page) == len(c.cases)
    capability = c.cases[0].capabilities[0]
    page.goto(site_server.url(f"cases/?capability={capability.id}"))
    page.wait_for_selector(".juli-filters:not([hidden]) summary")
    assert _shown(page) == sum(capability in k.capabilities for k in c.cases)
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["clientWidth"], sizes


def test_entry_event_and_data_pages_fit_a_phone(page, site_server, built_site, overflow):
    c = built_site.catalog
    from generator.model import urls

    service = next(e for e in c.entries if isinstance(e, Service))
    for path in (urls.page(service), urls.page(c.cases[0]), "events/", "data/", "", "policy/"):
        page.goto(site_server.url(path))
        sizes = overflow(page)
        assert sizes["scrollWidth"] <= sizes["clientWidth"], (path, sizes)
