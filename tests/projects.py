"""Copies of the project's inputs for tests that edit entries before building.

A module of its own (not conftest) so that `from projects import copy_project` means one thing even
when pytest has several conftest.py files on its path.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("catalog", "cases", "docs", "overrides")


def copy_project(dest: Path) -> Path:
    for name in INPUTS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest
