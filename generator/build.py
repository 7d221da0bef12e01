"""The build stage: validate, model, render into persistent trees, build HTML, then swap `site/` in.

A failed build never touches the previous `site/`: everything is assembled in a temporary folder next
to it and renamed into place only when every step succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
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
    generation_cached: bool = False  # the generated trees were already up to date for these exact inputs


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
    record = work / "cache" / "generation.json"
    fingerprint = _fingerprint(root)
    written = 0
    cached = _generated(record, fingerprint, trees)
    if cached:
        lap("render")
        timings["write"] = 0.0
    else:
        outputs: dict[str, list[Output]] = {"docs": [], "site": []}
        for renderer in renderers():
            for output in renderer(ctx):
                outputs[output.tree].append(output)
        lap("render")
        written = _sync(trees["docs"], _hand_written(root / "docs") + outputs["docs"])
        written += _sync(trees["site"], outputs["site"])
        _record(record, fingerprint, trees)
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
    return BuildResult(out, catalog, validation.problems, timings, written, cached)


# Libraries whose version can change what the generation stage writes.
_SHAPING_DISTRIBUTIONS = ("jinja2", "markdown", "nh3", "pillow", "segno", "feedgen", "jieba", "pyyaml", "markupsafe")
_INPUTS = ("catalog", "cases", "docs", "overrides", "mkdocs.yml")


def _fingerprint(root: Path) -> str:
    """A hash of everything the generation stage can read, so a stale input can never pass for a fresh one:
    every input file's path and bytes, the generator's own code, templates and assets, the versions of the
    libraries that shape output, and the git commit (the change log reads history)."""
    digest = hashlib.sha256(b"juli-generation-1\0")

    def add_tree(base: Path, label: str) -> None:
        paths = sorted(base.rglob("*")) if base.is_dir() else [base] if base.is_file() else []
        for path in paths:
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(base).as_posix()
                digest.update(f"{label}/{rel}\0{path.stat().st_size}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())

    for name in _INPUTS:
        add_tree(root / name, name)
    add_tree(Path(__file__).resolve().parent, "generator")
    for dist in _SHAPING_DISTRIBUTIONS:
        try:
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none\0".encode())
    head = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%H"], capture_output=True, text=True)
    digest.update(f"git={head.stdout.strip() if head.returncode == 0 else 'none'}".encode())
    return digest.hexdigest()


def _listing(trees: dict[str, Path]) -> dict[str, dict[str, list[int]]]:
    """Every file of the generated trees with its size and modification time: cheap to compare, and any
    edit, removal or addition by hand shows."""
    return {name: {p.relative_to(tree).as_posix(): [p.stat().st_size, p.stat().st_mtime_ns]
                   for p in sorted(tree.rglob("*")) if p.is_file()} if tree.is_dir() else {}
            for name, tree in trees.items()}


def _generated(record: Path, fingerprint: str, trees: dict[str, Path]) -> bool:
    """True when the trees hold exactly what the generation stage wrote for these same inputs."""
    try:
        saved = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return saved.get("fingerprint") == fingerprint and saved.get("trees") == _listing(trees)


def _record(record: Path, fingerprint: str, trees: dict[str, Path]) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_name(f".{record.name}.tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "trees": _listing(trees)}), "utf-8")
    os.replace(tmp, record)


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
