"""The preview: an edited service, resource or case is published on its own page at once (the quick step),
with the very bytes the full build then writes; anything else waits for that build; and `juli serve`
itself shows an edit in the browser's next request."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generator.build import quick
from generator.model import urls
from generator.build import build
from projects import copy_project, seed_memo

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


@pytest.fixture(scope="module")
def previewed(tmp_path_factory, warm_memo):
    root = copy_project(tmp_path_factory.mktemp("preview"))
    seed_memo(root, warm_memo)
    return root, build(root)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


def _title_line(path: Path) -> str:
    return next(line for line in path.read_text("utf-8").splitlines() if line.startswith("title:"))


def test_an_edited_entry_and_case_are_published_as_the_full_build_writes_them(previewed, tmp_path):
    root, first = previewed
    catalog = first.catalog
    service, case = catalog.services[3], catalog.cases[1]
    for item in (service, case):
        line = _title_line(root / item.source)
        _edit(root / item.source, line, line + "(快速预览)")
    published = quick.publish(root, first.site, first.validation, [root / service.source, root / case.source])
    assert sorted(published) == sorted([urls.page(service) + "index.html", urls.page(case) + "index.html"])
    quick_pages = {rel: (first.site / rel).read_bytes() for rel in published}
    assert all("(快速预览)".encode() in page for page in quick_pages.values())

    full = build(root, out=tmp_path / "full")
    for rel, page in quick_pages.items():
        assert page == (full.site / rel).read_bytes(), rel


@pytest.mark.parametrize("change", ["an error", "an organization", "a new file"])
def test_what_the_quick_step_cannot_do_exactly_is_left_to_the_full_build(previewed, tmp_path, change, warm_memo):
    root = copy_project(tmp_path / "project")
    seed_memo(root, warm_memo)
    first = build(root, out=tmp_path / "site")
    service = first.catalog.services[0]
    before = (first.site / urls.page(service) / "index.html").read_bytes()
    if change == "an error":
        path = root / service.source
        _edit(path, "fee: ", "fee: 看情况 #")
    elif change == "an organization":
        path = root / "catalog" / "organizations" / service.org / "organization.yml"
        _edit(path, _title_line(path) if "title:" in path.read_text("utf-8") else "name: ", "name: ")
    else:
        path = (root / service.source).with_name("brand-new.yml")
        path.write_text((root / service.source).read_text("utf-8").replace(f"id: {service.id}", "id: brand-new"), "utf-8")
    assert quick.publish(root, first.site, first.validation, [path]) == []
    assert (first.site / urls.page(service) / "index.html").read_bytes() == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def test_juli_serve_shows_an_edit_with_the_quick_step_first(tmp_path, warm_memo):
    root = copy_project(tmp_path / "project")
    seed_memo(root, warm_memo)
    port = _free_port()
    log = tmp_path / "serve.log"
    juli = Path(sys.executable).with_name("juli")
    with open(log, "w") as out:
        proc = subprocess.Popen([str(juli), "serve", "--root", str(root), "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        service = sorted((root / "catalog" / "organizations").glob("*/services/*.yml"))[0]
        url = f"http://127.0.0.1:{port}/directory/{service.parent.parent.name}/{service.stem}/"
        deadline = time.monotonic() + 120
        while _get(url) is None:
            assert time.monotonic() < deadline and proc.poll() is None, log.read_text("utf-8")
            time.sleep(0.2)
        time.sleep(1.5)  # the watcher is running
        line = _title_line(service)
        _edit(service, line, line + "(服务预览)")
        while "(服务预览)" not in (_get(url) or ""):
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.1)
        while "已重新生成" not in log.read_text("utf-8"):  # then the full build publishes the whole site
            assert time.monotonic() < deadline, log.read_text("utf-8")
            time.sleep(0.2)
        assert "已更新 1 个页面" in log.read_text("utf-8")
        assert "(服务预览)" in (_get(url) or "")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
