"""What a page costs a reader on a phone: served like nginx with gzip_static/brotli_static
(bench/static_server.py), an entry page's first load stays within 100 KB, no page loads the theme's
JavaScript bundle or fetches sitemap.xml, and every page kind loads only its own scripts."""

from __future__ import annotations

import pytest

from bench.static_server import serve
from test_offline import site_pages

BUDGET = 100 * 1024


@pytest.fixture(scope="module")
def compressed(built_site):
    base, stop = serve(built_site.site)
    yield base
    stop()


def test_entry_page_first_load_is_within_100_kb(new_page, compressed, built_site):
    page = new_page(extra_http_headers={"Accept-Encoding": "br, gzip"})
    page.goto(compressed + site_pages(built_site.catalog)["entry"])
    page.wait_for_load_state("networkidle")
    received = page.traffic.bytes_since(0)
    encodings = {r.url.rsplit("/", 1)[-1] or "index.html": (r.response().headers.get("content-encoding"))
                 for r in page.traffic.requests if r.response()}
    assert encodings["index.html"] == "br", encodings
    assert 0 < received <= BUDGET, (received, encodings)


@pytest.mark.parametrize("name", ["home", "directory", "entry", "event", "case", "organization"])
def test_pages_load_no_theme_bundle_and_no_sitemap(name, page, site_server, built_site):
    page.goto(site_server.url(site_pages(built_site.catalog)[name]))
    page.wait_for_load_state("networkidle")
    urls = page.traffic.urls()
    assert not [u for u in urls if "sitemap.xml" in u or "assets/javascripts/" in u], urls
    scripts = [u for u in urls if u.endswith(".js")]
    allowed = {"search/search.js", "juli-filter.js"} if name == "directory" else {"search/search.js"}
    assert {s for s in scripts if not any(s.endswith(a) for a in allowed)} == set(), scripts
