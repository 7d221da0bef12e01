"""The render stage: each renderer reads the catalog and yields files; it writes nothing itself.

Renderers are plain functions `render(ctx) -> Iterable[Output]`. An `Output` goes either into the docs
tree that the site builder turns into pages (`docs`), or straight into the built site (`site`: feeds,
exports, share kits, images). Writing, caching and the atomic swap belong to the build stage.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Literal, TypeVar

from ..model import Catalog

T = TypeVar("T")


@dataclass(frozen=True)
class Output:
    path: str  # POSIX path relative to its tree
    data: bytes
    tree: Literal["docs", "site"] = "docs"


@dataclass(frozen=True)
class Context:
    """What every renderer may read: the catalog, the project root and a cache folder of its own."""

    catalog: Catalog
    root: Path
    cache: Path
    options: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.catalog.programme.site.base_url

    def memo(self, namespace: str, key_parts: object, produce: Callable[[], T]) -> T:
        """`produce()`, or what it returned before for the same inputs (kept under `cache/memo/`).

        `key_parts` must hold everything the result depends on — the item's own data AND whatever it
        shows from elsewhere (its organization's name, the cases citing it…) — as model values or
        plain data, whose `repr` is stable. The key also covers the generator's code, templates and
        library versions, the programme settings and the taxonomy, so a stale result can never be
        served: any change in any of them is a different key. Results must be picklable (bytes, str,
        dicts of them)."""
        digest = hashlib.sha256(_salt(self.catalog).encode())
        digest.update(namespace.encode() + b"\0" + repr(key_parts).encode())
        key = digest.hexdigest()
        path = self.cache / "memo" / namespace.replace("/", "_") / key[:2] / key
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            pass
        value = produce()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{key}.{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(tmp, path)
        return value


_SHAPING_DISTRIBUTIONS = ("jinja2", "markdown", "nh3", "pillow", "segno", "feedgen", "lxml", "markupsafe")


@cache
def code_version() -> str:
    """A hash of the generator package's files (code, templates, assets) and of the versions of the
    libraries that shape the output: part of every memo key."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in _SHAPING_DISTRIBUTIONS:
        try:
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none\0".encode())
    return digest.hexdigest()


_salts: dict[int, tuple[Catalog, str]] = {}


def _salt(catalog: Catalog) -> str:
    """The code version, the programme settings and the taxonomy of this catalog (computed once per catalog)."""
    found = _salts.get(id(catalog))
    if found is None or found[0] is not catalog:
        text = f"{code_version()}\0{catalog.programme!r}\0{catalog.taxonomy!r}"
        found = (catalog, hashlib.sha256(text.encode()).hexdigest())
        _salts.clear()
        _salts[id(catalog)] = found
    return found[1]


Renderer = Callable[[Context], Iterable[Output]]
Postprocessor = Callable[[Context, Path], None]


def renderers() -> list[Renderer]:
    """Every renderer, in a fixed order. Imported here so each module stays independent of the others."""
    from . import calendar, changes, contributing, ecosystem, exports, feeds, media, pages, profiles, progress, search, share, theme

    return [pages.render, calendar.render, exports.render, media.render, theme.render, share.render, feeds.render,
            search.render, profiles.render, ecosystem.render, progress.render, changes.render, contributing.render]


def postprocessors() -> list[Postprocessor]:
    """Steps that need the built HTML (e.g. the search index), run on the staged site before the swap."""
    from . import search

    return [search.index]
