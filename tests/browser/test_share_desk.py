"""The communications team's desk (`share/index.html`): the copy button puts exactly the kit's Weibo text
on the clipboard, in Chromium, from the built sample site."""

from __future__ import annotations

import pytest
pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def test_the_copy_button_copies_the_weibo_text(new_page, site_server, built_site):
    page = new_page(permissions=["clipboard-read", "clipboard-write"])
    page.goto(site_server.url("share/"))
    buttons = page.locator("button[data-copy]:visible")  # the desk shows the newest kits first
    assert buttons.count() >= 2
    for index in (0, buttons.count() - 1):
        button = buttons.nth(index)
        area = page.locator("#" + button.get_attribute("data-copy"))
        item = area.locator("xpath=ancestor::article[1]").get_attribute("id")
        expected = (built_site.site / "share" / item / "weibo.txt").read_text("utf-8").strip()
        assert area.input_value().strip() == expected
        button.click()
        page.wait_for_function("b => b.textContent === '已复制'", arg=button.element_handle())
        assert page.evaluate("navigator.clipboard.readText()").strip() == expected
