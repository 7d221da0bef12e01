"""The build stage: validate, model, render into persistent trees, build HTML, then swap `site/` in.

A failed build never touches the previous `site/`: everything is assembled in a temporary folder next
to it and renamed into place only when every step succeeded.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import model
from ..model import urls
from ..checks import Validation, validate
from .compress import precompress
from .files import check_output, discard, files_under, link_tree, output_lock, publish, staging_for, swap
from ..model.freshness import as_of
from ..load.problems import Problem
from ..render import Context, Output, changes, postprocessors, renderers, store
from ..render.frontmatter import docs_path
from ..render.search import BUNDLE as SEARCH_INDEX
from .meter import current as meter
from .session import Session
from .sitebuilder import HtmlResult, build_html


class BuildError(Exception):
    """The catalog has errors; `problems` says which."""

    def __init__(self, problems: list[Problem], checked: int = 0):
        super().__init__(f"{sum(p.level.value == 'error' for p in problems)} errors in the catalog")
        self.problems = problems
        self.checked = checked  # how many files were checked


@dataclass
class BuildResult:
    site: Path
    catalog: model.Catalog
    problems: list[Problem]
    timings: dict[str, float] = field(default_factory=dict)
    written: int = 0
    generation_cached: bool = False  # the generated trees were already up to date for these exact inputs
    html: HtmlResult | None = None  # pages built by mkdocs and filled into shells
    pending: Callable[[], None] | None = None  # with `search_later`: brings the search index up to date
    validation: Validation | None = None  # what the model was built from (the preview's quick step starts there)


def build(root: Path, out: Path | None = None, work: Path | None = None, shell: bool = True,
          builder: str = "mkdocs", search_later: bool = False) -> BuildResult:
    """Build the site into `out`. With `shell` (the default) the item pages (entries, cases, organizations)
    are filled into theme shells instead of going one by one through mkdocs (see `sitebuilder`); the
    result is the same, byte for byte. `builder="zensical"` builds the HTML with Zensical instead.

    `search_later` (the preview) swaps the new pages in with the previous search index, deletes the old
    site in the background, and leaves the postprocessors to `result.pending()`, which swaps again."""
    root = root.resolve()
    out = (out or root / "site").resolve()
    work = (work or root / ".juli").resolve()
    check_output(root, out)
    with output_lock(out, work):
        result = _build(root, out, work, shell, builder, search_later)
    if result.pending is not None:
        result.pending = _locked(result.pending, out, work)
    return result


def _locked(step: Callable[[], None], out: Path, work: Path) -> Callable[[], None]:
    def run() -> None:
        with output_lock(out, work):
            step()
    return run


def _build(root: Path, out: Path, work: Path, shell: bool, builder: str, search_later: bool) -> BuildResult:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = now - clock
        clock = now
        meter().lap(stage)

    validation = validate(root)
    if not validation.ok:
        raise BuildError(validation.problems, len(validation.documents))
    lap("validate")
    catalog = model.build(validation)
    lap("model")
    with Session(catalog, root, work) as session:
        ctx = session.ctx
        if not search_later:  # the search index starts now, in the background, and is placed after the HTML
            session.start(postprocessors())
        manifest, written, cached = _generate(ctx, work, lap, timings)
        html = _publish(ctx, out, work, manifest, shell, builder, search_later, session.jobs, lap)
    result = BuildResult(out, catalog, validation.problems, timings, written, cached, html, validation=validation)
    if search_later:
        result.pending = lambda: _postprocess_site(ctx, out)
    return result


def _generate(ctx: Context, work: Path, lap: Callable[[str], None], timings: dict[str, float]) -> tuple[dict, int, bool]:
    """Render and write the persistent trees `work/docs` and `work/extra`, unless they already hold what
    these exact inputs make. Returns their manifest, the number of files written and whether cached."""
    trees = {"docs": work / "docs", "site": work / "extra"}
    record = work / "cache" / "generation.json"
    fingerprint = _fingerprint(ctx.root)
    listing = _listing(trees)
    manifest = _generated(record, fingerprint, listing)
    if manifest is not None:
        lap("render")
        timings["write"] = 0.0
        return manifest, 0, True
    outputs: dict[str, list[Output]] = {"docs": [], "site": []}
    for renderer in renderers():
        for output in renderer(ctx):
            outputs[output.tree].append(output)
            meter().advance()
    lap("render")
    saved = _saved_trees(record)
    manifest, written = {}, 0
    for name, items in (("docs", _hand_written(ctx.root / "docs") + outputs["docs"]), ("site", outputs["site"])):
        count, manifest[name] = _sync(trees[name], items, saved.get(name, {}), listing[name])
        written += count
    _record(record, fingerprint, manifest)
    lap("write")
    return manifest, written, False


def _publish(ctx: Context, out: Path, work: Path, manifest: dict, shell: bool, builder: str, search_later: bool,
             jobs: list, lap: Callable[[str], None]) -> HtmlResult:
    """Build the HTML into a staging folder beside `out`, add the generated site files and the
    postprocessors' results, and swap it in; a failure removes the staging folder and nothing else."""
    catalog = ctx.catalog
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_for(out)
    try:
        pages = {rel: manifest["docs"][rel][0] for rel in _item_pages(catalog) if rel in manifest["docs"]} if shell else None
        html = build_html(ctx.root / "mkdocs.yml", work / "docs", staging, catalog.programme.site.base_url,
                          shell=pages, cache=work / "cache", builder=builder, build_date=as_of(catalog))
        lap("html")
        link_tree(work / "extra", sorted(manifest["site"]), staging)
        lap("extra")
        if search_later and (out / SEARCH_INDEX).is_dir():
            link_tree(out / SEARCH_INDEX, files_under(out / SEARCH_INDEX), staging / SEARCH_INDEX)
        for job in jobs:
            publish(staging, job.folders(staging))
        lap("postprocess")
        precompress(staging, work / "cache")
        lap("compress")
        swap(staging, out, background=search_later, mark=True)
        lap("swap")
    except BaseException:
        discard(staging)
        raise
    return html


def _postprocess_site(ctx: Context, out: Path) -> None:
    """The preview's second step: each postprocessor places its result into the published site, which
    swaps in its own folder only (the site's other files stay as they are)."""
    for start in postprocessors():
        publish(out, start(ctx, background=False).folders(out))
    precompress(out, ctx.cache, prune=False)  # the placed files get their compressed copies too


def _item_pages(catalog: model.Catalog) -> set[str]:
    """The docs paths of the per-item pages (entries, cases, organizations): the pages worth a shell."""
    items = (*catalog.entries, *catalog.cases, *catalog.organizations)
    return {docs_path(urls.page(item)) for item in items}


_INPUTS = ("catalog", "cases", "docs", "overrides", "mkdocs.yml")


def _fingerprint(root: Path) -> str:
    """A hash of everything the generation stage can read, so a stale input can never pass for a fresh one:
    every input file's path and bytes, the code and library versions (`store.code_digest`, the same one
    every memo key holds), and the catalog's git history that the change log shows (a commit that
    touches no catalog file leaves the generated trees as they were)."""
    digest = hashlib.sha256(b"juli-generation-2\0")
    for name in _INPUTS:
        store.add_tree(digest, root / name, name)
    digest.update(f"code={store.code_digest()}\0".encode())
    digest.update(f"history={changes.history(root)!r}".encode())  # exactly what the change log reads from git
    return digest.hexdigest()


def _listing(trees: dict[str, Path]) -> dict[str, dict[str, list[int]]]:
    """Every file of the generated trees with its size and modification time, from one walk: cheap to
    compare, and any edit, removal or addition by hand shows."""
    out: dict[str, dict[str, list[int]]] = {}
    for name, tree in trees.items():
        files: dict[str, list[int]] = {}
        base = str(tree)
        for folder, _, names in os.walk(tree):
            rel = os.path.relpath(folder, base).replace(os.sep, "/")
            prefix = "" if rel == "." else rel + "/"
            for file in names:
                st = os.stat(os.path.join(folder, file))
                files[prefix + file] = [st.st_size, st.st_mtime_ns]
        out[name] = files
    return out


def _saved_trees(record: Path) -> dict[str, dict[str, list]]:
    try:
        return json.loads(record.read_text("utf-8")).get("trees", {})
    except (OSError, ValueError):
        return {}


def _generated(record: Path, fingerprint: str, listing: dict[str, dict[str, list[int]]]) -> dict | None:
    """The manifest of the generated trees (path → [sha256, size, mtime]) when they hold exactly what the
    generation stage wrote for these same inputs; otherwise None."""
    try:
        saved = json.loads(record.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    trees = saved.get("trees", {})
    if saved.get("fingerprint") != fingerprint or set(trees) != set(listing):
        return None
    for name, files in listing.items():
        if {rel: entry[1:] for rel, entry in trees[name].items()} != files:
            return None
    return trees


def _record(record: Path, fingerprint: str, manifest: dict) -> None:
    record.parent.mkdir(parents=True, exist_ok=True)
    tmp = record.with_name(f".{record.name}.tmp")
    tmp.write_text(json.dumps({"fingerprint": fingerprint, "trees": manifest}, sort_keys=True), "utf-8")
    os.replace(tmp, record)


def _hand_written(docs: Path) -> list[Output]:
    """The pages people write by hand (policy, guides) join the generated ones in the docs tree."""
    if not docs.is_dir():
        return []
    return [Output(p.relative_to(docs).as_posix(), p.read_bytes()) for p in sorted(docs.rglob("*")) if p.is_file()]


def _sync(tree: Path, outputs: list[Output], saved: dict[str, list], present: dict[str, list[int]]
          ) -> tuple[int, dict[str, list]]:
    """Make `tree` hold exactly `outputs`, rewriting only files whose bytes changed (so mtimes mean something).

    A file is known unchanged without reading it when the manifest of the last write (`saved`: path →
    [sha256, size, mtime]) records the same hash and the file on disk (`present`) still has the size and
    mtime recorded then. Returns the number of files written and the new manifest."""
    wanted: dict[str, bytes] = {}
    for output in outputs:
        if output.path in wanted and wanted[output.path] != output.data:
            raise ValueError(f"two renderers write different content to {output.path}")
        wanted[output.path] = output.data
    written = 0
    manifest: dict[str, list] = {}
    made: set[Path] = set()
    for rel, data in wanted.items():
        digest = hashlib.sha256(data).hexdigest()
        target = tree / rel
        old, stat = saved.get(rel), present.get(rel)
        if stat is not None and old is not None and old[0] == digest and old[1:] == stat:
            manifest[rel] = old
            continue
        if stat is not None and stat[0] == len(data) and target.read_bytes() == data:
            manifest[rel] = [digest, *stat]
            continue
        if stat is None and target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        st = target.stat()
        manifest[rel] = [digest, st.st_size, st.st_mtime_ns]
        written += 1
    gone = sorted(set(present) - set(wanted), reverse=True)
    for rel in gone:
        (tree / rel).unlink(missing_ok=True)
    for folder in sorted({(tree / rel).parent for rel in gone}, key=lambda p: len(p.parts), reverse=True):
        while folder != tree and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    return written, manifest
