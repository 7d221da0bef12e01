"""`juli links` against a local HTTP server on 127.0.0.1 (200, 301, 404, 500, a timeout, HEAD refused).
No test reaches any other address: the project copy's URLs all point at the local server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from projects import copy_project
from generator.commands.links import check_url

URL = re.compile(r"https?://[^\s)\]>\"',]+")
ORG = "bj-ai-industry-alliance"


class Handler(BaseHTTPRequestHandler):
    counts: dict[str, int] = {}
    times: dict[str, list[float]] = {}
    proxied: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def _answer(self, body: bool) -> None:
        if self.path.startswith("http://"):  # asked as a proxy: remember the absolute URL that came
            Handler.proxied.append(self.path)
            self._send(200, body)
            return
        path = self.path.split("?")[0]
        Handler.counts[path] = Handler.counts.get(path, 0) + 1
        Handler.times.setdefault(path, []).append(time.monotonic())
        if path.startswith("/ok"):
            self._send(200, body)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok/target")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/chain":
            self._redirect(302, "/moved")
        elif path == "/busy":
            if Handler.counts[path] == 1:
                self.send_response(429)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._send(200, body)
        elif path == "/missing":
            self._send(404, body)
        elif path == "/broken":
            self._send(500, body)
        elif path == "/flaky":
            self._send(503 if Handler.counts[path] == 1 else 200, body)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, body)
        elif path == "/nohead":
            self._send(405 if self.command == "HEAD" else 200, body)

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bool) -> None:
        payload = b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


FAST = dict(timeout=0.4, retries=1, backoff=0.01)


def test_statuses(server):
    assert check_url(f"{server}/ok/a", **FAST).ok
    moved = check_url(f"{server}/moved", **FAST)
    assert moved.ok and moved.redirects == [(301, f"{server}/ok/target")] and moved.final_url == f"{server}/ok/target"
    missing = check_url(f"{server}/missing", **FAST)
    assert not missing.ok and missing.status == 404 and missing.method == "GET"  # HEAD, then GET to be sure
    broken = check_url(f"{server}/broken", **FAST)
    assert not broken.ok and broken.status == 500 and broken.attempts == 4  # HEAD + retry, GET + retry
    slow = check_url(f"{server}/slow", **FAST)
    assert not slow.ok and slow.status is None and "超时" in slow.error and slow.attempts == 2
    nohead = check_url(f"{server}/nohead", **FAST)
    assert nohead.ok and nohead.method == "GET"


def test_retry_recovers_from_a_transient_error(server):
    Handler.counts.pop("/flaky", None)
    flaky = check_url(f"{server}/flaky", **FAST)
    assert flaky.ok and flaky.attempts == 2


def test_redirects_reported_hop_by_hop(server):
    chain = check_url(f"{server}/chain", **FAST)
    assert chain.ok and chain.redirects == [(302, f"{server}/moved"), (301, f"{server}/ok/target")]


def test_retry_after_is_honoured(server):
    """A 429 asking to wait a second is retried no sooner: the backoff alone would retry after 0.01 s."""
    Handler.counts.pop("/busy", None)
    Handler.times.pop("/busy", None)
    busy = check_url(f"{server}/busy", **FAST)
    first, second = Handler.times["/busy"]
    assert busy.ok and busy.attempts == 2 and second - first >= 0.9


def test_chinese_domain_goes_out_in_idna(server, monkeypatch):
    """Sent through the local server as a proxy, so nothing is looked up: the request line shows what
    would go on the wire (a percent-encoded URL with the host in its IDNA form, as browsers send it)."""
    monkeypatch.setenv("HTTP_PROXY", server)
    monkeypatch.setenv("NO_PROXY", "")
    Handler.proxied.clear()
    result = check_url("http://北京大学.中国/招生/", **FAST)
    assert result.ok, result.error
    assert Handler.proxied == ["http://xn--1lq90ic7fzpc.xn--fiqs8s/%E6%8B%9B%E7%94%9F/"]


def test_command_reports_per_organization(server, tmp_path):
    root = copy_project(tmp_path / "p")
    counter = iter(range(100000))
    for path in [*root.glob("catalog/organizations/**/*.yml"), *root.glob("cases/**/*.yml")]:
        text = path.read_text("utf-8")
        path.write_text(URL.sub(lambda m: f"{server}/ok/{next(counter)}", text), "utf-8")
    service = (root / f"catalog/organizations/{ORG}/services/ai-going-global.yml").read_text("utf-8")
    for name, (url, apply_url) in {"link-a": ("moved", "missing"), "link-b": ("broken", "slow"),
                                   "link-c": ("nohead", "ok/c")}.items():
        text = service.replace("id: ai-going-global", f"id: {name}") + f"url: {server}/{url}\napply_url: {server}/{apply_url}\n"
        (root / f"catalog/organizations/{ORG}/services/{name}.yml").write_text(text, "utf-8")
    everything = "".join(p.read_text("utf-8") for p in [*root.glob("catalog/organizations/**/*.yml"), *root.glob("cases/**/*.yml")])
    assert {u.split("/")[2] for u in URL.findall(everything)} == {server.split("/")[2]}  # nothing else is contacted
    run = subprocess.run([sys.executable, "-m", "generator", "links", "--root", str(root), "--format", "json",
                          "--timeout", "0.4", "--retries", "1", "--backoff", "0.01", "--workers", "6"],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert data["broken"] == 3
    [org] = [o for o in data["organizations"] if o["id"] == ORG]
    by_url = {link["url"].removeprefix(server): link for link in org["links"]}
    assert by_url["/missing"]["status"] == 404 and not by_url["/missing"]["ok"]
    assert by_url["/broken"]["status"] == 500
    assert "超时" in by_url["/slow"]["error"]
    assert by_url["/moved"]["ok"] and by_url["/moved"]["redirects"] == [[301, f"{server}/ok/target"]]
    assert by_url["/missing"]["where"] == [{"file": f"catalog/organizations/{ORG}/services/link-a.yml",
                                            "line": service.count("\n") + 2, "field": "apply_url"}]
    others = [o for o in data["organizations"] if o["id"] != ORG]
    assert others and all(link["ok"] for o in others for link in o["links"])
    text = subprocess.run([sys.executable, "-m", "generator", "links", "--root", str(root), "--org", ORG,
                           "--timeout", "0.4", "--retries", "0", "--backoff", "0.01"], capture_output=True, text=True, check=False)
    assert text.returncode == 1
    assert f"失败 {server}/missing:HTTP 404" in text.stdout
    assert f"跳转 {server}/moved → 301 {server}/ok/target" in text.stdout
