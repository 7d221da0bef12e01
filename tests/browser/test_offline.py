"""The site works with no network: no page asks a host other than the one serving it."""

from __future__ import annotations


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
