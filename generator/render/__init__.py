"""The render stage: each renderer reads the catalog and yields files; it writes nothing itself.

Renderers are plain functions `render(ctx) -> Iterable[Output]`. An `Output` goes either into the docs
tree that the site builder turns into pages (`docs`), or straight into the built site (`site`: feeds,
exports, share kits, images). Writing, caching and the atomic swap belong to the build stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Literal

from ..model import Catalog


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
