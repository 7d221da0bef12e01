"""The change log page: built from the project's git history when there is one, deterministic, and
honest when there is none. Also the generated list of validator messages."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from projects import copy_project
from generator import model
from generator.checks import validate
from generator.load.problems import CODES
from generator.render import Context, changes, contributing

ORG = "bj-ai-industry-alliance"


def git(root: Path, *argv: str, when: str = "2026-01-05T10:00:00+08:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", "-C", str(root), *argv], check=True, capture_output=True, env=env)


def render(root: Path) -> str:
    catalog = model.build(validate(root))
    [out] = list(changes.render(Context(catalog, root, root / ".juli/cache")))
    assert out.path == "changes/index.md"
    return out.data.decode("utf-8")


@pytest.fixture
def repo(tmp_path) -> Path:
    root = copy_project(tmp_path / "p")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial", when="2026-01-05T10:00:00+08:00")
    service = root / f"catalog/organizations/{ORG}/services/ai-going-global.yml"
    service.write_text(service.read_text("utf-8").replace("title: ", "title: 新版", 1), "utf-8")
    git(root, "commit", "-q", "-am", "edit", when="2026-02-10T23:30:00+00:00")  # 2026-02-11 in Beijing
    (root / f"catalog/organizations/{ORG}/resources/sg-ai-cooperation.yml").unlink()
    git(root, "commit", "-q", "-am", "remove", when="2026-03-01T09:00:00+08:00")
    return root


def test_changes_come_from_git_history(repo):
    text = render(repo)
    assert text == render(repo)  # the same history renders the same bytes
    days = [line for line in text.splitlines() if line.startswith("<h3 id=\"d")]
    assert [d.split(">")[1].split("<")[0] for d in days] == ["2026-03-01", "2026-02-11", "2026-01-05"]
    feb = text.split("2026-02-11</h3>")[1].split("<h3")[0]
    assert "修改服务产品:<a href=\"../directory/bj-ai-industry-alliance/ai-going-global/\">新版" in feb
    march = text.split("2026-03-01</h3>")[1].split("<h3")[0]
    assert "删除资源:sg-ai-cooperation" in march
    first = text.split("2026-01-05</h3>")[1]
    assert first.count("新增服务产品") == len(list(repo.glob("catalog/organizations/*/services/*.yml")))


def test_without_git_the_page_says_history_is_unavailable(tmp_path):
    root = copy_project(tmp_path / "p")
    text = render(root)
    assert "没有可用的版本历史" in text
    assert "<h3" not in text


def test_every_validator_message_is_in_the_guide():
    [out] = list(contributing.render(None))
    text = out.data.decode("utf-8")
    assert out.path == "contributing/messages.md"
    for code, info in CODES.items():
        assert f"### {code} {info.title}" in text
        assert info.fix in text
        assert code in contributing.MEANINGS, f"{code} needs a meaning in generator/render/contributing.py"


@pytest.mark.slow
def test_the_build_cache_follows_the_catalog_history_not_every_commit(repo, tmp_path):
    """A commit that touches no catalog file leaves the generated trees as they were; one that does
    (the change log shows it) regenerates them, as a clean build would."""
    from generator.build import build

    build(repo, out=tmp_path / "site")
    (repo / "NOTES.txt").write_text("内部备忘\n", "utf-8")
    git(repo, "add", "NOTES.txt")
    git(repo, "commit", "-q", "-m", "notes", when="2026-03-02T09:00:00+08:00")
    assert build(repo, out=tmp_path / "site").generation_cached
    git(repo, "rm", "-q", f"catalog/organizations/{ORG}/services/ai-going-global.yml")
    git(repo, "commit", "-q", "-m", "remove a service", when="2026-03-03T09:00:00+08:00")
    git(repo, "revert", "--no-edit", "HEAD", when="2026-03-04T09:00:00+08:00")  # same files, longer history
    again = build(repo, out=tmp_path / "site")
    assert not again.generation_cached
    assert "2026-03-04" in (again.site / "changes" / "index.html").read_text("utf-8")
