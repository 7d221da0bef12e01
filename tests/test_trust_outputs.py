"""No mistake loses data or ends in a traceback: real `juli` processes over bad invocations, output
folders that are or hold the sources, builds side by side and interrupted, a real `juli serve` process
saving an invalid file and a busy port, and output into a closed pipe."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import cli
from generator.build.files import MARK
from generator.commands import validate as validate_command
from projects import ROOT, copy_project, seed_memo

CJK = re.compile(r"[\u4e00-\u9fff]")


def juli(*argv: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *argv], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=timeout, check=False)


def digest(root: Path) -> str:
    """Every source file's path and bytes, to show nothing was touched."""
    h = hashlib.sha256()
    for name in ("catalog", "cases", "docs", "overrides", "mkdocs.yml", ".git"):
        base = root / name
        for path in sorted([base] if base.is_file() else base.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def project(tmp_path, warm_memo) -> Path:
    root = copy_project(tmp_path / "p")
    seed_memo(root, warm_memo)
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    return root


BAD = [
    ("validate", "--root", "{missing}"),
    ("share", "--since", "2026-13-01", "--root", "{p}"),
    ("report", "stale", "--today", "yesterday", "--root", "{p}"),
    ("new", "service", "--org", "x", "--today", "2026-02-30", "--root", "{p}"),
    ("serve", "--port", "99999", "--root", "{p}"),
    ("serve", "--port", "http", "--root", "{p}"),
    ("build", "--builder", "nope", "--root", "{p}"),
    ("no-such-command",),
    ("validate", "--no-such-option"),
    ("check-changes", "--author", "x"),
    ("check-changes", "--author", "x", "--base", "main", "--root", "{p}"),
    ("check-changes", "--author", "x", "--base", "no-such-rev", "--root", "{git}"),
    ("links", "--workers", "0", "--root", "{p}"),
    ("owners", "--root", "{empty}"),
    ("schemas", "--check", "--root", "{empty}"),
    ("report", "stale", "--root", "{empty}"),
    ("validate", "--root", "{empty}"),
    ("build", "--root", "{empty}"),
    ("share", "no.such-item", "--root", "{p}"),
    ("build", "--root", "{p}", "--out", "{p}"),
    ("build", "--root", "{p}", "--out", "{p}/catalog"),
    ("build", "--root", "{p}", "--out", "{p}/mkdocs.yml/site"),
    ("build", "--root", "{p}", "--out", "/proc/no-such/site"),
    ("serve", "--root", "{p}", "--out", "{p}/docs", "--port", "0"),
    ("build", "--root", "{work_is_a_file}"),
]


@pytest.mark.parametrize("argv", BAD, ids=[" ".join(a) for a in BAD])
def test_bad_invocations_get_a_chinese_message_and_no_traceback(argv, project, tmp_path):
    (tmp_path / "empty").mkdir()
    git_repo = tmp_path / "g"
    git_repo.mkdir()
    subprocess.run(["git", "init", "-q", str(git_repo)], check=True)
    work_is_a_file = copy_project(tmp_path / "w")
    (work_is_a_file / ".juli").write_text("", "utf-8")
    values = {"p": project, "missing": tmp_path / "missing", "empty": tmp_path / "empty", "git": git_repo,
              "work_is_a_file": work_is_a_file}
    run = juli(*(a.format(**values) for a in argv))
    output = run.stdout + run.stderr
    assert run.returncode not in (0, 70), output
    assert "Traceback" not in output and "Error:" not in output and "Errno" not in output.replace("（", "("), output
    assert CJK.search(output), output


def test_missing_git_is_said_in_chinese(project):
    run = juli("check-changes", "--author", "x", "--base", "main", "--root", str(project),
               env={"PATH": "/nonexistent"})
    assert run.returncode == 2 and "找不到 git 命令" in run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("out", [".", "catalog", "catalog/organizations/x", "cases", "docs", ".git", "..", "holder"])
def test_output_folder_that_is_or_holds_the_sources_is_refused(project, out):
    holder = project / "holder"
    holder.mkdir()
    (holder / "notes.txt").write_text("mine, not juli's\n", "utf-8")
    before = digest(project)
    for command in ("build", "serve"):
        run = juli(command, "--root", str(project), "--out", out, *(["--port", "0"] if command == "serve" else []),
                   cwd=project, timeout=60)
        assert run.returncode == 2, run.stdout + run.stderr
        assert str((project / out).resolve()) in run.stderr and "--out" in run.stderr
        assert "Traceback" not in run.stderr
    assert digest(project) == before
    assert (holder / "notes.txt").read_text("utf-8") == "mine, not juli's\n"


def test_a_bug_is_reported_briefly_with_its_traceback_in_a_file(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("a defect")

    monkeypatch.setattr(validate_command, "run", broken)
    monkeypatch.delenv("JULI_DEBUG", raising=False)
    assert cli.main(["validate"]) == 70
    err = capsys.readouterr().err
    assert "内部错误" in err and "Traceback" not in err
    saved = Path(re.search(r"保存到 (\S+?\.txt)", err).group(1))
    assert "Traceback" in saved.read_text("utf-8") and "RuntimeError: a defect" in saved.read_text("utf-8")
    saved.unlink()


def test_output_into_a_closed_pipe_ends_quietly(project):
    proc = subprocess.Popen([sys.executable, "-m", "generator", "share", "--since", "2000-01-01", "--root", str(project)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    proc.stdout.close()  # the reader is gone before anything is written, as after `| head` exits
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err and "Exception ignored" not in err, err


def _wait_for(path: Path, pattern: str, timeout: float = 180) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = path.read_text("utf-8", "replace") if path.exists() else ""
        if re.search(pattern, text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"no {pattern!r} within {timeout} s in:\n{path.read_text('utf-8', 'replace')}")


@pytest.mark.slow
def test_builds_side_by_side_wait_and_interrupted_swaps_are_swept(project):
    killed = subprocess.Popen([sys.executable, "-m", "generator", "build", "--root", str(project)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 300
    while not list(project.glob(".site-new-*/site")) and time.monotonic() < deadline:
        time.sleep(0.05)
    killed.kill()  # during the HTML stage: its staged site stays behind
    killed.wait()
    assert list(project.glob(".site-new-*"))
    site = project / "site"
    # what a build killed during its swap leaves behind, marked as juli's, and a look-alike that is not
    for name in (".site-old-k1", ".site-new-k2"):
        (project / name / "site").mkdir(parents=True)
        (project / name / MARK).write_text("x", "utf-8")
    (project / ".site-old-keep").mkdir()
    (project / ".site-old-keep/mine.txt").write_text("not juli's\n", "utf-8")

    with open(project / ".site.lock", "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another build is writing site/
        logs = [project / f"build-{n}.log" for n in (1, 2)]
        procs = [subprocess.Popen([sys.executable, "-m", "generator", "build", "--root", str(project)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=log.open("w"),
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}) for log in logs]
        for log in logs:
            assert "另一个 juli 进程正在写入" in _wait_for(log, "另一个 juli 进程正在写入")
        assert all(p.poll() is None for p in procs)  # both wait, neither fails
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert [p.wait(timeout=600) for p in procs] == [0, 0], [log.read_text("utf-8") for log in logs]
    assert "Traceback" not in "".join(log.read_text("utf-8") for log in logs)
    assert (site / "index.html").is_file() and (site / MARK).is_file()
    leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith(".site-"))
    assert leftovers == [".site-old-keep"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_reports_an_invalid_save_and_a_busy_port(project, tmp_path):
    port = _free_port()
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--root", str(project), "--port", str(port)],
                            cwd=ROOT, stdout=out.open("w"), stderr=err.open("w"),
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        _wait_for(out, "预览地址", timeout=300)
        busy = juli("serve", "--root", str(project), "--port", str(port), "--out", str(tmp_path / "other"), timeout=60)
        assert busy.returncode != 0 and "端口" in busy.stderr and "--port" in busy.stderr
        assert "Traceback" not in busy.stderr
        entry = next((project / "catalog/organizations").glob("*/services/*.yml"))
        entry.write_text(entry.read_text("utf-8").replace("title: ", "title:\n  - [不对\n# ", 1), "utf-8")
        text = _wait_for(err, "构建失败", timeout=120)
        time.sleep(1.0)  # anything the watcher thread would print after the failure
        text = err.read_text("utf-8")
        assert "Traceback" not in text and "AttributeError" not in text, text
        checked = int(re.search(r"检查了 (\d+) 个文件", text).group(1))
        assert checked > 100
        assert proc.poll() is None  # the preview keeps serving the previous site
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_problem_reports_cannot_forge_workflow_commands():
    """A file name or a quoted value with line breaks cannot start a line of its own, in either form."""
    from generator.checks import formats
    from generator.load.problems import Problem

    hostile = Problem("catalog/x\n::warning file=README.md::forged\r%0A\u202e.yml", 3, 1, "JL100",
                      "值 “a\n::error::b” 不对,", path="title")
    github = formats.as_github([hostile])
    assert github.count("\n") == 0 and github.startswith("::error file=catalog/x%0A%3A%3Awarning file=README.md%3A%3Aforged%0D%250A")
    assert "“a%0A::error::b”" in github  # in the data the line break is escaped; `::` mid-line is inert
    text = formats.as_text([hostile], 1)
    assert not [line for line in text.splitlines() if line.startswith("::")]
    assert "catalog/x\\n::warning file=README.md::forged\\r%0A\\u202e.yml:3:1" in text
