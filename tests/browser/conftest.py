"""Browser-test fixtures: the built sample site served on 127.0.0.1 and driven by Debian's Chromium.

No browser can be downloaded here, so Playwright launches the system `chromium` (installed by
`make test`); if it is missing the tests fail with a message, they never skip silently. Every page
records its requests and any request to a host other than localhost is blocked and fails the test:
the site must work with no network at all. axe-core comes from npm (`package.json`, `npm ci`).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("JULI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
MOBILE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(items):
    """Everything under tests/browser drives Chromium: mark it so `-m "not browser"` can leave it out."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript", ".json": "application/json"}

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


@dataclass
class SiteServer:
    """A built site served over HTTP; `url("directory/")` gives an absolute URL on it."""

    root: Path
    base: str

    def url(self, path: str = "") -> str:
        return self.base + path.lstrip("/")


def serve(root: Path) -> tuple[SiteServer, Callable[[], None]]:
    """Serve `root` on a free port of 127.0.0.1 from a daemon thread; returns the server and its stop."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(root)))
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name=f"site-{root.name}", daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)

    return SiteServer(root, f"http://127.0.0.1:{httpd.server_address[1]}/"), stop


@pytest.fixture(scope="session")
def serve_site() -> Iterator[Callable[[Path], SiteServer]]:
    """Factory for tests that build their own site: `serve_site(path)` serves it until the session ends."""
    stops = []

    def start(root: Path) -> SiteServer:
        server, stop = serve(root)
        stops.append(stop)
        return server

    yield start
    for stop in stops:
        stop()


@pytest.fixture(scope="session")
def site_server(built_site, serve_site) -> SiteServer:
    """The shipped sample catalog, built once (`built_site`), served on 127.0.0.1."""
    return serve_site(built_site.site)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium per test session (per xdist worker)."""
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium) "
                    "or set JULI_CHROMIUM to its path", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """Every request a page made; `blocked` are those that tried to leave localhost."""

    requests: list = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def urls(self) -> list[str]:
        return [r.url for r in self.requests]

    def bytes_since(self, start: int = 0) -> int:
        """Bytes received (headers + body, as Chromium counts them) for requests from index `start` on."""
        total = 0
        for request in self.requests[start:]:
            if request.url.startswith(("data:", "blob:")):
                continue
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname in LOCAL_HOSTS


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """Factory: `new_page(width=360, height=740, **context_options)` gives a fresh page in a fresh context
    (no shared cache). Its requests are in `page.traffic`; a request to another host is aborted and fails
    the test at teardown."""
    contexts = []

    def make(width: int = MOBILE["width"], height: int = MOBILE["height"], **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                      service_workers="block", **options)
        traffic = Traffic()

        def guard(route):
            if _is_local(route.request.url):
                route.continue_()
            else:
                traffic.blocked.append(route.request.url)
                route.abort("blockedbyclient")

        context.route("**/*", guard)
        page = context.new_page()
        page.on("request", lambda request: traffic.requests.append(request))
        page.traffic = traffic
        contexts.append((context, traffic))
        return page

    yield make
    leaks = sorted({url for _, traffic in contexts for url in traffic.blocked
                    + [u for u in traffic.urls() if not _is_local(u)]})
    for context, _ in contexts:
        context.close()
    if leaks:
        pytest.fail("requests left localhost:\n" + "\n".join(leaks), pytrace=False)


@pytest.fixture
def page(new_page):
    """A fresh 360×740 (phone-sized) page; see `new_page` for other sizes and the request guard."""
    return new_page()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: run `npm ci --no-audit --no-fund` (`make test` does)",
                    pytrace=False)
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def axe(axe_source) -> Callable[..., list[dict]]:
    """`axe(page, impacts=("serious", "critical"))` injects axe-core into the loaded page, runs it against
    WCAG 2.x A/AA rules and returns the violations of those impacts (each with its failing nodes)."""

    def run(page, impacts=("serious", "critical"), tags=("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")) -> list[dict]:
        page.add_script_tag(content=axe_source)
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            list(tags))
        return [v for v in result["violations"] if v["impact"] in impacts]

    return run


def describe_violations(violations: list[dict]) -> str:
    """Readable summary of axe violations for an assertion message."""
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


@pytest.fixture
def axe_report() -> Callable[[list[dict]], str]:
    """Formats `axe(...)` violations for an assertion message: `assert not v, axe_report(v)`."""
    return describe_violations


def horizontal_overflow(page) -> dict:
    """Sizes that show whether the page scrolls sideways at its viewport width."""
    return page.evaluate("""() => ({scrollWidth: document.documentElement.scrollWidth,
                                    clientWidth: document.documentElement.clientWidth,
                                    bodyScrollWidth: document.body.scrollWidth})""")


@pytest.fixture
def overflow() -> Callable[[object], dict]:
    """`overflow(page)` → {scrollWidth, clientWidth, bodyScrollWidth}; no sideways scroll means
    scrollWidth <= clientWidth."""
    return horizontal_overflow
