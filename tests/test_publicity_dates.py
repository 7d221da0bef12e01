"""Publicity dates come from the catalog's git history: an item is new when its file first appeared,
whatever date its story carries (`juli share --since`, the desk's order, the feeds' window)."""

from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path

import pytest

from generator import model
from generator.checks import validate
from generator.cli import main
from generator.render import changes, news
from projects import copy_project

CASE = "cases/bj-ai-industry-alliance/compute-voucher-startups.yml"
NEW_CASE = "cases/bj-ai-industry-alliance/late-story.yml"


def _git(root: Path, *args: str, day: str | None = None) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T10:00:00+08:00"
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The sample catalog committed on 2026-01-10; then, on 2026-11-30, a case whose story happened in
    March 2025, and an edit (no date change) to an older case."""
    root = copy_project(tmp_path_factory.mktemp("history"))
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "catalog", day="2026-01-10")
    text = (root / CASE).read_text("utf-8")
    late = text.replace("id: compute-voucher-startups", "id: late-story").replace("date: 2025-07-10", "date: 2025-03-01")
    late = late.replace("title: 算力券辅导帮助初创企业降低大模型训练成本", "title: 迟到的案例:联盟去年春天的一次对接")
    (root / NEW_CASE).write_text(late, "utf-8")
    (root / CASE).write_text(text.replace("平均降低训练成本三成", "平均降低训练成本约三成"), "utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "new case", day="2026-11-30")
    return root


def _catalog(root: Path) -> model.Catalog:
    return model.build(validate(root))


def test_first_seen_is_the_oldest_adding_commit(repo):
    seen = changes.first_seen(repo)
    assert seen[NEW_CASE] == date(2026, 11, 30)
    assert seen[CASE] == date(2026, 1, 10)  # edited later, but first added in January


def test_new_case_is_published_when_it_entered_the_catalog(repo):
    every = news.everything(_catalog(repo))
    late = next(n for n in every if n.id == "bj-ai-industry-alliance.case.late-story")
    assert late.published == late.updated == date(2026, 11, 30)
    assert every[0] is late  # the desk's and the feeds' order: newest first
    assert late in news.since(_catalog(repo), date(2026, 11, 1))
    old = next(n for n in every if n.id == "bj-ai-industry-alliance.case.compute-voucher-startups")
    assert old.published == date(2026, 1, 10)


def test_share_since_lists_the_new_case(repo, capsys):
    assert main(["share", "--root", str(repo), "--since", "2026-11-01"]) == 0
    out = capsys.readouterr().out
    assert "新发布  典型案例  bj-ai-industry-alliance.case.late-story" in out
    assert "迟到的案例" in out


def test_feeds_window_holds_the_new_case(repo):
    catalog = _catalog(repo)
    site_feed = next(ch for ch in news.channels(catalog) if ch.slug == "all")
    assert site_feed.items[0].id == "bj-ai-industry-alliance.case.late-story"
    assert site_feed.as_of == date(2026, 11, 30)


def test_without_history_the_items_own_dates_count(sample_copy):
    every = news.everything(_catalog(sample_copy))
    case = next(n for n in every if n.id == "bj-ai-industry-alliance.case.compute-voucher-startups")
    assert case.first_seen is None and case.published == date(2025, 7, 10)
