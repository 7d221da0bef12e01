"""Covers per second, cold (empty store: every cover drawn and encoded) and warm (all from the build's store).

    .venv/bin/python bench/covers.py [--root DIR] [--repeat N]

Uses the items of the shipped catalog (or DIR's), the configured font and a temporary store, as the share kits do.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from generator import model
from generator.checks import validate
from generator.render import Context, covers
from generator.render.news import everything
from generator.render.share import Kits, _covers
from generator.render.store import Store


def run(root: Path, repeat: int) -> None:
    catalog = model.build(validate(root))
    programme = catalog.programme
    # with --repeat, each round's titles differ, so every cover of the cold pass is really drawn
    specs = [covers.CoverSpec.of(f"{n.title}{f' ({r + 1})' if r else ''}", n.org.name, n.org.short_name, n.kind_label,
                                 programme.site.title, n.org.logo, programme.share)
             for r in range(repeat) for n in everything(catalog)]
    with tempfile.TemporaryDirectory() as cache:
        font = Kits(Context(catalog=catalog, root=root, cache=Path(cache))).font  # resolved outside the timing
        for label in ("cold", "warm"):
            store = Store(Path(cache) / "memo.sqlite", (programme, catalog.taxonomy))  # a new build's store
            before = dict(covers.stats)
            start = time.perf_counter()
            for spec in specs:
                store.call(_covers, spec, font)
            elapsed = time.perf_counter() - start
            store.close()
            drawn = covers.stats["drawn"] - before.get("drawn", 0)
            reused = len(specs) - drawn
            print(f"{label}: {len(specs)} items (wide + square each) in {elapsed:.2f}s = "
                  f"{len(specs) / elapsed:.1f} items/s ({drawn} drawn, {reused} from cache)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--repeat", type=int, default=1, help="run over the catalog's items this many times")
    args = parser.parse_args()
    run(args.root.resolve(), args.repeat)
