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


READY = ".juli-filter-open:not([hidden])"
SETTLED = ".juli-cards:not([aria-busy])"  # the listing JSON, if asked for, has arrived and been applied


def _ready(page) -> None:
    page.wait_for_selector(READY)
    page.wait_for_selector(SETTLED)


def _open_sheet(page) -> None:
    if not page.locator(".juli-sheet").is_visible():
        page.locator(".juli-filter-open").click()


def _open_and_check(page, key: str, term_id: str) -> None:
    _open_sheet(page)
    box = page.locator(f'input[name="{key}"][value="{term_id}"]')
    details = box.locator("xpath=ancestor::details")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    box.check()
    page.wait_for_selector(SETTLED)


def test_filters_narrow_the_listing_show_counts_and_survive_a_reload(page, site_server, built_site, overflow):
    c = built_site.catalog
    page.goto(site_server.url("directory/"))
    _ready(page)
    assert _shown(page) == len(c.entries)
    assert page.locator(".juli-cards > li").count() == min(50, len(c.entries))

    # Kind: services only. The label shows how many entries that choice gives.
    label = page.locator('label:has(input[name="kind"][value="service"])').text_content()
    assert f"（{len(c.services)}）" in label
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
    page.locator(".juli-apply").click()
    titles = sorted(page.locator(".juli-cards a.juli-card-title").all_inner_texts())
    assert titles == sorted(e.title for e in expected)[:50]
    assert f"field={field_id}" in page.url

    # Reload the shared URL: the same choice and the same result, with the groups opened.
    url = page.url
    page.goto(url)
    _ready(page)
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
    _ready(page)
    sizes = overflow(page)
    assert sizes["scrollWidth"] <= sizes["clientWidth"], sizes


def test_clearing_filters_restores_the_whole_listing(page, site_server, built_site):
    c = built_site.catalog
    org = c.organizations[0]
    page.goto(site_server.url(f"directory/?org={org.id}"))
    _ready(page)
    assert _shown(page) == len(c.entries_of(org.id))
    _open_sheet(page)
    page.get_by_role("button", name="清除全部筛选").click()
    page.wait_for_selector(SETTLED)
    assert _shown(page) == len(c.entries)
    assert "org=" not in page.url


def test_filter_rows_are_large_enough_to_tap(page, site_server):
    page.goto(site_server.url("directory/"))
    _ready(page)
    _open_sheet(page)
    for handle in page.locator(".juli-filters details[open] label").all()[:5]:
        assert handle.bounding_box()["height"] >= 44
    assert page.locator(".juli-filters summary").first.bounding_box()["height"] >= 44


def test_cases_filter_by_field_and_capability(page, site_server, built_site, overflow):
    c = built_site.catalog
    page.goto(site_server.url("cases/"))
    _ready(page)
    assert _shown(page) == len(c.cases)
    capability = c.cases[0].capabilities[0]
    page.goto(site_server.url(f"cases/?capability={capability.id}"))
    _ready(page)
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


class Taps:
    """Counts what a reader taps: every `tap(locator)` is one touch on the screen."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator) -> None:
        locator.scroll_into_view_if_needed()
        box = locator.bounding_box()
        assert box and box["y"] >= 0, "the target must be on screen"
        self.count += 1
        locator.click()


def test_free_testing_service_in_haidian_in_five_taps_from_home(page, site_server, built_site):
    """The reader's task from issue 13: a free or low-fee 检验检测 service in 海淀区, and how to contact it."""
    c = built_site.catalog
    wanted = {e.title for e in c.services
              if "testing" in {k.id for k in e.service_kinds} and "110108" in {d.id for d in e.districts}
              and e.fee and e.fee.id in {"free", "charity", "discount"}}
    assert wanted, "the sample catalog has such a service"
    taps = Taps(page)
    page.goto(site_server.url(""))
    chip = page.locator(".juli-chips a", has_text="检验检测")
    assert chip.bounding_box()["y"] + chip.bounding_box()["height"] <= 740 * 1.5
    taps.tap(chip)
    _ready(page)
    taps.tap(page.locator(".juli-filter-open"))
    taps.tap(page.locator("label", has_text="海淀区"))
    page.wait_for_selector(SETTLED)
    apply = page.locator(".juli-apply")
    assert apply.is_visible() and apply.inner_text() == f"查看 {_matching(c)} 项"
    taps.tap(apply)
    assert not page.locator(".juli-sheet").is_visible()
    card = page.locator(".juli-cards > li", has=page.locator(".juli-card-meta", has_text=re.compile("免费|公益|优惠"))).first
    assert card.locator("a.juli-card-title").inner_text() in wanted
    taps.tap(card.locator("a.juli-card-title"))
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() in wanted
    assert page.locator('a[href^="tel:"], a[href^="mailto:"]').first.is_visible()
    assert taps.count <= 5


def _matching(c) -> int:
    return sum("testing" in {k.id for k in getattr(e, "service_kinds", ())} and "110108" in {d.id for d in e.districts}
               for e in c.entries)


def test_sheet_counts_live_and_the_query_keeps_the_choice(page, site_server, built_site):
    c = built_site.catalog
    page.goto(site_server.url("directory/"))
    _ready(page)
    assert page.locator(".juli-filter-open").text_content() == "筛选"
    _open_and_check(page, "service", "testing")
    testing = sum("testing" in {k.id for k in getattr(e, "service_kinds", ())} for e in c.entries)
    assert page.locator(".juli-apply").inner_text() == f"查看 {testing} 项"
    _open_and_check(page, "district", "110108")
    assert page.locator(".juli-apply").inner_text() == f"查看 {_matching(c)} 项"
    assert "service=testing" in page.url and "district=110108" in page.url
    page.locator(".juli-apply").click()
    assert page.locator(".juli-filter-open").text_content().replace(" ", "") == "筛选·2"
    assert page.locator(".juli-cards > li").count() == _matching(c)
    assert not page.locator(".juli-more").is_visible()


def test_pages_until_the_filters_are_used_then_more_while_items_are_left(page, site_server, built_site):
    """A reader who only looks gets the static pager and no listing JSON; once the filters are opened the
    JSON arrives and "显示更多" takes the pager's place."""
    total = len(built_site.catalog.entries)
    assert total > 50
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(site_server.url("directory/"))
    _ready(page)
    more, pager = page.locator(".juli-more"), page.locator(".juli-pages")
    assert pager.is_visible() and not more.is_visible()
    assert not [url for url in fetched if url.endswith("entries.json")]
    _open_sheet(page)
    page.wait_for_selector(SETTLED)
    page.locator(".juli-sheet__close").click()
    assert [url for url in fetched if url.endswith("entries.json")]
    assert more.is_visible() and not pager.is_visible()
    while more.is_visible():
        more.click()
    assert page.locator(".juli-cards > li").count() == total
    page.goto(site_server.url("directory/?fee=free"))
    _ready(page)
    assert not more.is_visible()


CLS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => done(total), 1500);
})"""


def test_no_layout_shift_when_the_filters_start(page, site_server):
    for path in ("directory/", "directory/?service=testing", "cases/"):
        page.goto(site_server.url(path))
        _ready(page)
        assert page.evaluate(CLS) < 0.05, path


def test_every_item_is_reachable_without_javascript(new_page, site_server, built_site):
    from generator.model import urls

    c = built_site.catalog
    page = new_page(java_script_enabled=False)
    for start, items in (("directory/", c.entries), ("cases/", c.cases)):
        seen, url = set(), site_server.url(start)
        while url:
            page.goto(url)
            assert not page.locator(".juli-sheet").is_visible()
            seen |= {href.split("#")[0] for href in page.eval_on_selector_all(
                ".juli-cards a.juli-card-title", "els => els.map(a => new URL(a.href).pathname)")}
            nxt = page.locator('.juli-pages a[rel="next"]')
            url = nxt.evaluate("a => a.href") if nxt.count() else None
        assert seen == {"/" + urls.page(i) for i in items}, start
