"""Time each renderer of the generation stage on its own, cold (empty cache) and warm (the cache of the
cold run), and the search postprocessor's record preparation.

    python bench/render.py --root bench/work/catalog-2000 [--only pages share] [--profile share] [--json out.json]

The catalog is validated and modelled once; every renderer then runs in this process on the same model,
consuming its outputs as the build does (counting files and bytes, keeping nothing). `--profile NAME`
prints a cProfile summary of one renderer's cold run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import measure  # noqa: E402
from generator import model  # noqa: E402
from generator.checks import validate  # noqa: E402
from generator.render import Context, renderers  # noqa: E402


def _name(renderer) -> str:
    return renderer.__module__.rsplit(".", 1)[-1]


def run(ctx: Context, renderer) -> tuple[float, int, int]:
    start = time.perf_counter()
    files = size = 0
    for output in renderer(ctx):
        files += 1
        size += len(output.data)
    return time.perf_counter() - start, files, size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, required=True)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--profile", default="")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    start = time.perf_counter()
    validation = validate(root)
    catalog = model.build(validation)
    loaded = time.perf_counter() - start
    cache = Path(tempfile.mkdtemp(prefix="render-bench-"))
    result: dict = {"machine": measure.machine(), "root": str(root), "entries": len(catalog.entries), "cases": len(catalog.cases),
                    "organizations": len(catalog.organizations), "load_seconds": round(loaded, 2), "renderers": {}}
    try:
        for label in ("cold", "warm"):
            ctx = Context(catalog=catalog, root=root, cache=cache)  # a new context per run, as each build has
            for renderer in renderers():
                name = _name(renderer)
                if args.only and name not in args.only:
                    continue
                if label == "cold" and name == args.profile:
                    profiler = cProfile.Profile()
                    profiler.enable()
                    seconds, files, size = run(ctx, renderer)
                    profiler.disable()
                    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)
                else:
                    seconds, files, size = run(ctx, renderer)
                row = result["renderers"].setdefault(name, {"files": files, "mb": round(size / 2**20, 2)})
                row[label] = round(seconds, 2)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    result["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    rows = result["renderers"]
    print(f"{'renderer':14s}{'cold s':>9s}{'warm s':>9s}{'files':>8s}{'MB':>9s}")
    for name, row in rows.items():
        print(f"{name:14s}{row['cold']:9.2f}{row.get('warm', 0):9.2f}{row['files']:8d}{row['mb']:9.2f}")
    print(f"{'total':14s}{sum(r['cold'] for r in rows.values()):9.2f}{sum(r.get('warm', 0) for r in rows.values()):9.2f}"
          f"   (validate+model {loaded:.2f} s, peak {result['peak_mb']} MB)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
