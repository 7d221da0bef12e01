"""Shared fixtures. The shipped catalog is built once per test session (per xdist worker) and read by
every test that checks pages, feeds, exports or share kits."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from generator.build import BuildResult, build
from projects import copy_project, seed_memo

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory) -> Path:
    """A private copy of the project's catalog, cases, docs and settings, safe to build in. Its builds leave
    out the printed edition, which test_print.py builds and checks on a copy of its own."""
    return copy_project(tmp_path_factory.mktemp("project"))


def _run_folder(tmp_path_factory) -> Path:
    """A folder every xdist worker of this test run shares (the session's own folder without xdist)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def built_site(sample_copy, tmp_path_factory) -> BuildResult:
    """The shipped catalog built once per worker with `juli build`; tests read `built_site.site`.

    Under xdist the first worker to get here builds cold and leaves its project's path behind; the others
    wait for it and start from its memo store (covers, images), so the costly results are made once a run."""
    with open(_run_folder(tmp_path_factory) / "built-site.lock", "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        first = lock.read().strip()
        if first:
            seed_memo(sample_copy, Path(first))
        result = build(sample_copy)
        if not first:
            lock.write(str(sample_copy))
    return result


@pytest.fixture(scope="session")
def warm_memo(built_site) -> Path:
    """A built project whose memo store (covers, images) a test seeds its own copy with
    (`projects.seed_memo`), unless what it tests is the store itself or a cold build."""
    return built_site.catalog.root


# A test that builds a whole site must be marked `slow`, so `-m "not slow"` runs in seconds. Measured, not
# guessed: every in-process mkdocs build is counted, and a test that uses `built_site` or caused a build
# (in its own setup or body) without the marker fails at teardown with the reason.
_SITE_BUILDS = [0]


def pytest_collection_modifyitems(items):
    """Whatever reads `built_site` (directly or through another fixture) needs a whole site built."""
    for item in items:
        if "built_site" in item.fixturenames:
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    import mkdocs.commands.build as mkdocs_build

    original = mkdocs_build.build

    def counted(*args, **kwargs):
        _SITE_BUILDS[0] += 1
        return original(*args, **kwargs)

    mkdocs_build.build = counted


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    item.stash[_BUILDS_BEFORE] = _SITE_BUILDS[0]
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if call.when == "teardown" and item.get_closest_marker("slow") is None and report.passed:
        if _SITE_BUILDS[0] > item.stash.get(_BUILDS_BEFORE, _SITE_BUILDS[0]):
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid} builds a whole site: mark it @pytest.mark.slow"
    return report


_BUILDS_BEFORE = pytest.StashKey[int]()
