"""Copies of the project's inputs for tests that edit entries before building.

A module of its own (not conftest) so that `from projects import copy_project` means one thing even
when pytest has several conftest.py files on its path.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("catalog", "cases", "docs", "overrides")


def copy_project(dest: Path, edition: bool = False) -> Path:
    """A copy of the inputs in `dest`. Without `edition`, its builds leave out the printed edition
    (`print.build: false`): typesetting the PDFs is most of a cold build's time, and only the tests of
    the edition (test_print.py) need them."""
    for name in INPUTS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    if not edition:
        programme = dest / "catalog" / "programme.yml"
        text, found = _PRINT_BUILD.subn(r"\g<1>false", programme.read_text("utf-8"))
        assert found == 1, "catalog/programme.yml: print.build not found"
        programme.write_text(text, "utf-8")
    return dest


def seed_memo(root: Path, built: Path) -> None:
    """Give the project at `root` the memo store of the project built at `built`, so the renderers' costly
    results (the PDF edition, covers, images) are found there. The store's keys are computed from every
    input, so what a test changed still misses. SQLite's backup copies a consistent store."""
    target = root / ".juli" / "cache" / "memo.sqlite"
    target.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(built / ".juli" / "cache" / "memo.sqlite")) as source, \
            closing(sqlite3.connect(target)) as copy:
        source.backup(copy)


_PRINT_BUILD = re.compile(r"(^print:[^\n]*\n(?:[ #][^\n]*\n)*?  build: )true\b", re.M)
