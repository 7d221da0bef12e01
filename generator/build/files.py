"""Publishing files: hard-linked copies of trees and atomic folder swaps, for the build stage (the staged
site) and the postprocessors (the search index's folder inside it)."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from pathlib import Path


def files_under(tree: Path) -> list[str]:
    """Every file below `tree`, as sorted POSIX paths relative to it."""
    base = str(tree)
    out = []
    for folder, _, names in os.walk(tree):
        rel = os.path.relpath(folder, base).replace(os.sep, "/")
        out += [name if rel == "." else f"{rel}/{name}" for name in names]
    return sorted(out)


def link_tree(source: Path, files: list[str], target: Path) -> None:
    """Hard-link (or copy, across file systems) `files` of `source` to the same paths under `target`."""
    made: set[Path] = set()
    for rel in files:
        dest = target / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        if os.path.lexists(dest):
            dest.unlink()
        try:
            os.link(source / rel, dest)
        except OSError:
            shutil.copy2(source / rel, dest)


def swap(staging: Path, out: Path, background: bool = False) -> None:
    """Replace the folder `out` with `staging` by two renames, so readers see the old or the new one,
    never half. The old one is deleted afterwards, in a thread when `background` (a preview answers
    meanwhile)."""
    staging.chmod(0o755)
    old = None
    if out.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
        os.rename(out, old / out.name)
    os.rename(staging, out)
    if old:
        if background:
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}).start()
        else:
            shutil.rmtree(old, ignore_errors=True)
