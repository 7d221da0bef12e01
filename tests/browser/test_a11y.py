"""axe-core (from npm, see package.json) finds no serious or critical WCAG 2.1 A/AA violation on the
pages readers land on, on a phone and on a desktop screen, and in the open header search."""

from __future__ import annotations

import pytest

from test_offline import site_pages

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site

PAGES = ["home", "directory", "entry", "event", "case", "organization", "search"]


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(name, width, new_page, site_server, built_site, axe, axe_report):
    page = new_page(width=width, height=800)
    page.goto(site_server.url(site_pages(built_site.catalog)[name]))
    page.wait_for_load_state("networkidle")
    if name == "search":
        page.locator("[data-juli-search=page] .juli-result").first.wait_for()
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    violations = axe(page)
    assert not violations, axe_report(violations)


def test_open_header_search_is_accessible(new_page, site_server, axe, axe_report):
    page = new_page(width=1280, height=800)
    page.goto(site_server.url(""))
    box = page.get_by_label("搜索服务产品、资源、案例和组织")
    box.fill("服务")
    page.locator("#juli-hsearch-panel .juli-result").first.wait_for()
    assert page.locator("#juli-hsearch-panel").is_visible()
    violations = axe(page)
    assert not violations, axe_report(violations)
