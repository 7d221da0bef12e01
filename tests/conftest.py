"""Shared fixtures. The shipped catalog is built once per test session (per xdist worker) and read by
every test that checks pages, feeds, exports or share kits."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import BuildResult, build
from projects import copy_project

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def sample_copy(tmp_path_factory) -> Path:
    """A private copy of the project's catalog, cases, docs and settings, safe to build in."""
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="session")
def built_site(sample_copy) -> BuildResult:
    """The shipped catalog built once with `juli build`; tests read `built_site.site`."""
    return build(sample_copy)
