"""The communications team's desk (`share/index.html`) and its kit pages (`share/<item>/`): from the desk a
kit is one tap away, and its copy button puts exactly the kit's Weibo text on the clipboard, in Chromium,
from the built sample site."""

from __future__ import annotations

import pytest
pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def test_the_copy_button_copies_the_weibo_text(new_page, site_server, built_site):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site_server.url("share/"))
    links = page.locator("article.item:visible h2 a")  # the desk shows the newest kits first
    count = links.count()
    assert count >= 2
    for index in (0, count - 1):
        page.goto(site_server.url("share/"))
        link = page.locator("article.item:visible h2 a").nth(index)
        item = link.locator("xpath=ancestor::article[1]").get_attribute("id")
        link.click()
        page.wait_for_url(f"**/share/{item}/")
        expected = (built_site.site / "share" / item / "weibo.txt").read_text("utf-8").strip()
        area = page.locator("#weibo")
        assert area.input_value().strip() == expected
        button = page.locator("button[data-copy=weibo]")
        button.click()
        page.wait_for_function("b => b.textContent === '已复制'", arg=button.element_handle())
        assert page.evaluate("navigator.clipboard.readText()").strip() == expected
