"""The stages are visible in the layout and data walks through them one way (ARCHITECTURE.md): a module
of a stage imports only from the stages before it and from the support modules, and each stage can be
imported on its own, first, in a fresh interpreter (an import running back up a stage would make that
a circular import)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("load", "checks", "model", "render", "build", "commands")
SUPPORT = ("schemas", "errors", "pool")  # read by every stage; they import no stage
PACKAGE_ROOT = {"__version__"}  # generator/__init__.py


def _imports(path: Path) -> set[str]:
    """The `generator` modules a file imports, as dotted names under `generator`."""
    package = path.relative_to(PACKAGE.parent).parts[:-1]  # what a relative import is relative to
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = ".".join(base + ((node.module,) if node.module else ()))
            else:
                target = node.module or ""
            names = [target] + [f"{target}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            continue
        found |= {n.removeprefix("generator.") for n in names if n.startswith("generator.")}
    return found


def _stage(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("stage", STAGES + SUPPORT)
def test_imports_run_down_the_stages(stage):
    allowed = set(SUPPORT) | PACKAGE_ROOT | set(STAGES[:STAGES.index(stage) + 1] if stage in STAGES else ())
    files = sorted((PACKAGE / stage).rglob("*.py")) if (PACKAGE / stage).is_dir() else [PACKAGE / f"{stage}.py"]
    wrong = {f"{path.relative_to(PACKAGE)} imports generator.{name}"
             for path in files for name in _imports(path) if _stage(name) not in allowed | {stage}}
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("stage", STAGES + SUPPORT)
def test_each_stage_imports_first_on_its_own(stage):
    run = subprocess.run([sys.executable, "-c", f"import generator.{stage}"], capture_output=True, text=True,
                         cwd=PACKAGE.parent)
    assert run.returncode == 0, run.stderr[-800:]
