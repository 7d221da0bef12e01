"""How big the directory's filter data grows: the listing JSON and the directory page for a catalog.

    python bench/directory.py [--root bench/work/catalog-10000]

Validates and models the catalog (no HTML build), then renders the directory listing exactly as the
site does and reports its bytes, raw and gzip-compressed (what a server sends), per entry and in total.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import model  # noqa: E402
from generator.checks import validate  # noqa: E402
from generator.render import Context, listing, pages  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT / "bench" / "work" / "catalog-10000")
    args = parser.parse_args()
    started = time.perf_counter()
    validation = validate(args.root)
    if not validation.ok:
        print("the catalog has errors", file=sys.stderr)
        return 1
    catalog = model.build(validation)
    ctx = Context(catalog=catalog, root=args.root, cache=args.root / ".juli" / "cache")
    outputs = {o.path: o.data for o in pages.render(ctx) if o.path.startswith(("directory/index", "directory/entries", "cases/"))}
    data = outputs[listing.DIRECTORY_PAGE + listing.DIRECTORY_JSON]
    page = outputs["directory/index.md"]
    n = len(catalog.entries)
    figures = {
        "entries": n,
        "listing_json_bytes": len(data),
        "listing_json_gzip_bytes": len(gzip.compress(data, 9, mtime=0)),
        "listing_json_bytes_per_entry": round(len(data) / n, 1),
        "directory_page_body_bytes": len(page),
        "cases": len(catalog.cases),
        "cases_json_bytes": len(outputs[listing.CASES_PAGE + listing.CASES_JSON]),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
