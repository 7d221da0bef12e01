"""One build's lifetime as an object: what used to be process-wide state, held and released in one place."""

from __future__ import annotations

import gc
from pathlib import Path

from ..model import Catalog
from ..render import Context, Job, Postprocessor


class Session:
    """A build from its model to its end: the render context (and with it the build's store), the
    background jobs started for it, and the garbage collector frozen meanwhile — the documents and the
    model live as long as the build, so later collections (and the forked workers' copy-on-write pages)
    need not walk them again. Leaving the session, by success or failure, cancels what still runs,
    closes the store and unfreezes the collector: nothing of one build stays behind in a long-lived
    process (`juli serve` builds again and again)."""

    def __init__(self, catalog: Catalog, root: Path, work: Path):
        self.ctx = Context(catalog=catalog, root=root, cache=work / "cache")
        self.jobs: list[Job] = []

    def start(self, postprocessors: list[Postprocessor]) -> None:
        """Start the postprocessors now, in the background; `place` puts their results in later."""
        self.jobs += [start(self.ctx) for start in postprocessors]

    def __enter__(self) -> "Session":
        gc.freeze()
        return self

    def __exit__(self, *exc) -> None:
        try:
            for job in self.jobs:
                job.cancel()
        finally:
            gc.unfreeze()
            store = self.ctx.__dict__.get("store")  # opened only if a renderer used it
            if store is not None:
                store.close()
