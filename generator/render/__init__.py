"""The render stage: each renderer reads the catalog and yields files; it writes nothing itself.

Renderers are plain functions `render(ctx) -> Iterable[Output]`. An `Output` goes either into the docs
tree that the site builder turns into pages (`docs`), or straight into the built site (`site`: feeds,
exports, share kits, images). Writing and the atomic swap belong to the build stage; what is costly to
make is kept in the build's one store (`store.py`, through `Context.memo_all`), and many items are made
at once in forked workers (`generator/pool.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Literal, Protocol, TypeVar

from ..model import Catalog
from ..pool import Background, counters, parallel
from .store import Store

__all__ = ["Background", "Context", "Output", "counters", "parallel", "renderers", "postprocessors"]

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

    @property
    def base_url(self) -> str:
        return self.catalog.programme.site.base_url

    @cached_property
    def store(self) -> Store:
        """The build's one cache (see `store`): memoized functions receive the programme and the
        taxonomy first, then their own arguments."""
        return Store(self.cache / "memo.sqlite", (self.catalog.programme, self.catalog.taxonomy))

    def once(self, make: Callable[["Context"], T]) -> T:
        """`make(self)`, made once per context: objects several renderers share (the share kits)."""
        shared = self.__dict__.setdefault("_shared", {})
        if make not in shared:
            shared[make] = make(self)
        return shared[make]

    def memo_all(self, fn: Callable[..., T], calls: list[tuple]) -> list[T]:
        """`fn(programme, taxonomy, *args)` for each `args` of `calls`, from the store when made before
        (see `Store.call_all`): `fn` is a module-level function that reads nothing but what it is given."""
        return self.store.call_all(fn, calls)


Renderer = Callable[[Context], Iterable[Output]]


class Job(Protocol):
    """A postprocessor under way (see `postprocessors`)."""

    def folders(self, site: Path) -> dict[str, dict[str, Path]]:
        """Its result, once ready: site folder → {path inside it → a finished folder to publish there}.
        The build links them into the site (a renderer writes nothing into it); `site` is what they go
        into, for checks against its pages."""
        ...

    def cancel(self) -> None: ...


Postprocessor = Callable[..., Job]  # start(ctx, background=True) -> Job


def renderers() -> list[Renderer]:
    """Every renderer, in a fixed order. Imported here so each module stays independent of the others."""
    from . import (calendar, changes, contributing, ecosystem, editor, exports, feeds, media, pages, profiles, progress,
                   search, share, theme)
    from . import print as edition

    return [pages.render, calendar.render, exports.render, media.render, theme.render, share.render, feeds.render,
            search.render, profiles.render, ecosystem.render, progress.render, changes.render, contributing.render,
            editor.render, edition.render]


def postprocessors() -> list[Postprocessor]:
    """Steps that build from the model beside the pages (the search index): each starts when called with
    the context, may work in the background meanwhile, and names its finished folders (`Job.folders`)
    once the pages are there, for the build to publish."""
    from . import search

    return [search.index]
