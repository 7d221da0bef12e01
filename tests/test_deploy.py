"""The domestic deploy path for real: tools/deploy-rsync.sh publishes to a local folder with rsync (new
files first, HTML next, deletions last), python's http.server serves it, and tools/deploy-smoke.sh
compares what the server returns with the build. tools/deploy-s3.sh is run with stand-ins for each
object-storage client it supports, which record the order of their calls."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not shutil.which("rsync"), reason="rsync is not installed: make test installs it")

SNAPSHOT = """#!/usr/bin/env bash
# records the destination before each rsync call, then runs the real rsync
n=$(ls "$LOG" | wc -l)
(cd "$DEST" && find . -type f -exec sha1sum {} + | sort -k 2) > "$LOG/$(printf %02d "$n")"
exec "$REAL_RSYNC" "$@"
"""


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, "utf-8")


def _state(snapshot: Path) -> dict[str, str]:
    rows = [line.split(None, 1) for line in snapshot.read_text().splitlines()]
    return {path.strip()[2:]: digest for digest, path in rows}


@pytest.fixture
def deployed(tmp_path):
    dest, site, log, bin_dir = tmp_path / "www", tmp_path / "site", tmp_path / "log", tmp_path / "bin"
    for folder in (log, bin_dir):
        folder.mkdir()
    _write(dest, {"index.html": "<link href=assets/old.css>旧首页", "assets/old.css": "old",
                  "directory/org/a/index.html": "旧条目"})
    _write(site, {"index.html": "<link href=assets/new.css>新首页" + "。" * 600, "assets/new.css": "body{}" * 300,
                  "directory/org/a/index.html": "新条目 a", "directory/org/b/index.html": "新条目 b",
                  "print/directory.pdf": "%PDF-1.7 stand-in"})
    (bin_dir / "rsync").write_text(SNAPSHOT)
    (bin_dir / "rsync").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG": str(log), "DEST": str(dest),
           "REAL_RSYNC": shutil.which("rsync"), "DEPLOY_TARGET": str(dest)}
    run = subprocess.run([str(ROOT / "tools" / "deploy-rsync.sh"), str(site)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return dest, site, sorted(log.iterdir())


def test_assets_first_then_pages_then_deletions(deployed):
    dest, site, snapshots = deployed
    assert len(snapshots) == 3
    after_assets, after_pages = _state(snapshots[1]), _state(snapshots[2])
    before = _state(snapshots[0])
    # 1: the new stylesheet and the PDF are there while the old pages (and what they use) still are
    assert {"assets/new.css", "assets/new.css.gz", "print/directory.pdf"} <= set(after_assets)
    assert after_assets["index.html"] == before["index.html"] and "assets/old.css" in after_assets
    assert "directory/org/b/index.html" not in after_assets
    # 2: the pages are new, nothing is deleted yet
    assert after_pages["index.html"] != before["index.html"] and "directory/org/b/index.html" in after_pages
    assert "assets/old.css" in after_pages
    # 3: the old site's leftovers are gone; the published files are the build's, with gzip copies
    assert not (dest / "assets/old.css").exists()
    for rel in ("index.html", "directory/org/a/index.html", "directory/org/b/index.html", "assets/new.css"):
        assert (dest / rel).read_bytes() == (site / rel).read_bytes()
    assert (dest / "index.html.gz").is_file() and not (site / "index.html.gz").exists()  # the build is untouched
    assert subprocess.run(["gzip", "-dc", str(dest / "index.html.gz")], capture_output=True).stdout == (site / "index.html").read_bytes()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def test_smoke_check_compares_served_pages_with_the_build(deployed):
    dest, site, _ = deployed
    handler = functools.partial(_Quiet, directory=str(dest))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    smoke = [str(ROOT / "tools" / "deploy-smoke.sh"), url, str(site)]
    try:
        ok = subprocess.run(smoke, capture_output=True, text=True)
        assert ok.returncode == 0, ok.stderr
        assert "directory/org/a/" in ok.stderr  # the first entry page, in sorted order
        (dest / "directory/org/a/index.html").write_text("缓存中的旧页面", "utf-8")
        stale = subprocess.run(smoke, capture_output=True, text=True)
        assert stale.returncode == 1 and "directory/org/a/ 与构建结果" in stale.stderr
        shutil.rmtree(dest / "directory/org/a")  # a 404
        gone = subprocess.run(smoke, capture_output=True, text=True)
        assert gone.returncode == 1 and "无法获取" in gone.stderr
    finally:
        server.shutdown()


def test_missing_target_or_build_is_refused(tmp_path):
    script = str(ROOT / "tools" / "deploy-rsync.sh")
    env = {k: v for k, v in os.environ.items() if k != "DEPLOY_TARGET"}
    no_target = subprocess.run([script, str(tmp_path)], env=env, capture_output=True, text=True)
    assert no_target.returncode != 0 and "DEPLOY_TARGET" in no_target.stderr
    no_site = subprocess.run([script, str(tmp_path)], env={**env, "DEPLOY_TARGET": str(tmp_path / "w")},
                             capture_output=True, text=True)
    assert no_site.returncode == 1 and "juli build" in no_site.stderr


def test_no_credentials_in_the_deploy_files():
    text = "".join(p.read_text("utf-8") for p in [*(ROOT / "tools").glob("deploy*"), ROOT / ".github/workflows/deploy.yml",
                                                 *(ROOT / "tools/deploy").iterdir()] if p.is_file())
    for needle in ("AKIA", "aws_secret_access_key=", "BEGIN OPENSSH PRIVATE KEY", "password="):
        assert needle not in text


CLIENT = """#!/usr/bin/env bash
# stands in for an object-storage client: records how it was called, one line per call
printf '%s\\n' "$(basename "$0") $*" >> "$LOG"
"""


@pytest.mark.parametrize("tool, bucket", [("aws", "s3://juli-site"), ("ossutil", "oss://juli-site"), ("coscmd", "")])
def test_object_storage_uploads_assets_then_pages_then_deletes(tmp_path, tool, bucket):
    """tools/deploy-s3.sh with each client it supports (stand-ins that record their calls: no store is
    reachable offline): files other than HTML first, then the pages, deletions last, each call once."""
    site, bin_dir, log = tmp_path / "site", tmp_path / "bin", tmp_path / "calls.log"
    _write(site, {"index.html": "首页", "assets/a.css": "body{}"})
    bin_dir.mkdir()
    (bin_dir / tool).write_text(CLIENT)
    (bin_dir / tool).chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "LOG": str(log), "DEPLOY_TOOL": tool}
    env.pop("DEPLOY_URL", None)
    if bucket:
        env["DEPLOY_BUCKET"] = bucket
    run = subprocess.run([str(ROOT / "tools" / "deploy-s3.sh"), str(site)], env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    first, second, last = log.read_text("utf-8").splitlines()
    assert all(line.startswith(tool + " ") for line in (first, second, last))
    assert "*.html" in first and ("--exclude" in first or "--ignore" in first)
    assert "--include *.html" in second and "--delete" not in first + second
    assert "--delete" in last
    assert ["1/3", "2/3", "3/3"] == [step for step in ("1/3", "2/3", "3/3") if step in run.stderr]


def test_object_storage_without_a_bucket_or_with_an_unknown_client_is_refused(tmp_path):
    _write(tmp_path / "site", {"index.html": "首页"})
    env = {k: v for k, v in os.environ.items() if k not in ("DEPLOY_BUCKET", "DEPLOY_TOOL")}
    script = str(ROOT / "tools" / "deploy-s3.sh")
    no_bucket = subprocess.run([script, str(tmp_path / "site")], env=env, capture_output=True, text=True)
    assert no_bucket.returncode != 0 and "DEPLOY_BUCKET" in no_bucket.stderr
    unknown = subprocess.run([script, str(tmp_path / "site")], env={**env, "DEPLOY_TOOL": "ftp"}, capture_output=True,
                             text=True)
    assert unknown.returncode == 2 and "不认识的 DEPLOY_TOOL" in unknown.stderr
