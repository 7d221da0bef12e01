"""axe-core (from npm, see package.json) finds no serious or critical WCAG 2.1 A/AA violation in the open
header search. (Every kind of page, at 360 and 1280 px, is checked by test_page_kinds.py.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def test_open_header_search_is_accessible(new_page, site_server, axe, axe_report):
    page = new_page(width=1280, height=800)
    page.goto(site_server.url(""))
    box = page.get_by_label("搜索服务产品、资源、案例和组织")
    box.fill("服务")
    page.locator("#juli-hsearch-panel .juli-result").first.wait_for()
    assert page.locator("#juli-hsearch-panel").is_visible()
    violations = axe(page)
    assert not violations, axe_report(violations)
