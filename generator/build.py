"""The build stage: validate, model, render into persistent trees, build HTML, then swap `site/` in.

A failed build never touches the previous `site/`: everything is assembled in a temporary folder next
to it and renamed into place only when every step succeeded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import model
from .checks import validate
from .problems import Problem
from .render import Context, Output, postprocessors, renderers
from .sitebuilder import build_html


class BuildError(Exception):
    """The catalog has errors; `problems` says which."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.level.value == 'error' for p in problems)} errors in the catalog")
        self.problems = problems


@dataclass
class BuildResult:
    site: Path
    catalog: model.Catalog
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0


def build(root: Path, out: Path | None = None, work: Path | None = None) -> BuildResult:
    root = root.resolve()
    out = (out or root / "site").resolve()
    work = (work or root / ".juli").resolve()
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now

    validation = validate(root)
    if not validation.ok:
        raise BuildError(validation.problems)
    lap("validate")
    catalog = model.build(validation)
    lap("model")
    ctx = Context(catalog=catalog, root=root, cache=work / "cache")
    trees = {"docs": work / "docs", "site": work / "extra"}
    outputs: dict[str, list[Output]] = {"docs": [], "site": []}
    for renderer in renderers():
        for output in renderer(ctx):
            outputs[output.tree].append(output)
    lap("render")
    written = _sync(trees["docs"], _hand_written(root / "docs") + outputs["docs"])
    written += _sync(trees["site"], outputs["site"])
    lap("write")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=out.parent))
    try:
        build_html(root / "mkdocs.yml", trees["docs"], staging, catalog.programme.site.base_url)
        lap("html")
        _link_tree(trees["site"], staging)
        lap("extra")
        for step in postprocessors():
            step(ctx, staging)
        lap("postprocess")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out, catalog, validation.problems, timings, written)


def _hand_written(docs: Path) -> list[Output]:
    """The pages people write by hand (policy, guides) join the generated ones in the docs tree."""
    if not docs.is_dir():
        return []
    return [Output(p.relative_to(docs).as_posix(), p.read_bytes()) for p in sorted(docs.rglob("*")) if p.is_file()]


def _sync(tree: Path, outputs: list[Output]) -> int:
    """Make `tree` hold exactly `outputs`, rewriting only files whose bytes changed (so mtimes mean something)."""
    wanted: dict[str, bytes] = {}
    for output in outputs:
        if output.path in wanted and wanted[output.path] != output.data:
            raise ValueError(f"two renderers write different content to {output.path}")
        wanted[output.path] = output.data
    written = 0
    for rel, data in wanted.items():
        target = tree / rel
        try:
            if target.stat().st_size == len(data) and target.read_bytes() == data:
                continue
        except FileNotFoundError:
            target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written += 1
    if tree.is_dir():
        for path in sorted(tree.rglob("*"), reverse=True):
            rel = path.relative_to(tree).as_posix()
            if path.is_file() and rel not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link (or copy) the site-bound outputs into the staged site."""
    if not source.is_dir():
        return
    for path in sorted(source.rglob("*")):
        if path.is_file():
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if dest.exists():
                dest.unlink()
            try:
                os.link(path, dest)
            except OSError:
                shutil.copy2(path, dest)


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` with `staging` by two renames, so readers see the old or the new site, never half."""
    staging.chmod(0o755)
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}-old-{os.getpid()}")
        os.rename(out, old)
    os.rename(staging, out)
    if old:
        shutil.rmtree(old, ignore_errors=True)
