"""Every package the code imports is declared, and every declared package is pinned by uv.lock."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
LOCK = tomllib.loads((ROOT / "uv.lock").read_text("utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _imported(folder: str) -> set[str]:
    """Top-level modules imported anywhere under `folder`, standard library and our own left out."""
    found = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    local = {p.stem for p in (ROOT / folder).rglob("*.py")} | {"generator", "bench", "tests"}
    return {m for m in found if m not in sys.stdlib_module_names and m not in local}


def _distributions(modules: set[str]) -> dict[str, set[str]]:
    names = packages_distributions()
    return {m: {d.lower().replace("_", "-") for d in names.get(m, [])} for m in modules}


@pytest.mark.parametrize("folder, declared", [
    ("generator", {_name(r) for r in PROJECT["dependencies"]}),
    ("tests", {_name(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]}),
])
def test_every_import_is_declared(folder, declared):
    missing = {m: d for m, d in _distributions(_imported(folder)).items() if not d & declared}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def test_every_declared_package_is_locked():
    locked = {p["name"] for p in LOCK["package"]}
    declared = PROJECT["dependencies"] + [r for extra in PROJECT["optional-dependencies"].values() for r in extra]
    assert {_name(r) for r in declared} <= locked, "run `uv lock` after changing pyproject.toml"
    (juli,) = [p for p in LOCK["package"] if p["name"] == "juli"]
    assert {_name(r["name"]) for r in juli["metadata"]["requires-dist"]} == {_name(r) for r in declared}
