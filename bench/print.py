"""The printed edition's cost: typesetting time, PDF size and pages at a generated catalog's size.

    python bench/print.py [--size 1000] [--seed 1] [--out bench/results/print-<size>-<date>.json]

Measured in a child process (bench/measure.py: wall time, peak memory of the process tree), with an empty
memo cache: the whole-directory edition (one volume; or the volumes per field above `print.split_above`)
and a sample of organizations' brochures (`--brochures`), each typeset on its own so their times can be
told apart. CPU seconds are reported beside wall seconds: on a shared machine they are the steadier figure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import measure  # noqa: E402
from bench.generate import generate  # noqa: E402

_TYPESET = r"""
import io, json, sys, time
from pathlib import Path
import pypdf
from generator import model
from generator.checks import validate
from generator.render import print as edition
root = Path(sys.argv[1])
catalog = model.build(validate(root))
start, cpu = time.perf_counter(), time.process_time()
volumes = edition.volumes(catalog, root)
layout, layout_cpu = time.perf_counter() - start, time.process_time() - cpu
report = {"entries": len(catalog.entries), "organizations": len(catalog.organizations), "layout_s": layout,
          "layout_cpu_s": layout_cpu, "whole": [],
          "brochures": {"count": 0, "seconds": 0.0, "cpu_seconds": 0.0, "bytes": 0, "pages": 0, "largest_bytes": 0}}
limit = int(sys.argv[2])
for volume in volumes:
    brochure = volume.path.startswith(edition.FOLDER + "organizations/")
    if brochure and report["brochures"]["count"] >= limit:
        continue
    start, cpu = time.perf_counter(), time.process_time()
    data = edition.pdf(edition.html(catalog, volume))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    if brochure:
        b = report["brochures"]
        b["count"] += 1; b["seconds"] += seconds; b["cpu_seconds"] += cpu_seconds; b["bytes"] += len(data)
        b["pages"] += pages; b["largest_bytes"] = max(b["largest_bytes"], len(data))
    else:
        report["whole"].append({"path": volume.path, "entries": volume.entry_count, "seconds": seconds,
                                "cpu_seconds": cpu_seconds, "bytes": len(data), "pages": pages})
print(json.dumps(report))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--brochures", type=int, default=20,
                        help="typeset this many organizations' brochures (a sample: each costs about the same)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    work = ROOT / "bench" / "work" / f"print-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    generate(work, args.size, args.seed)
    run = measure.run([sys.executable, "-c", _TYPESET, work, args.brochures])
    report = {"machine": measure.machine(), "size": args.size, "wall_s": run.wall, "peak_mb": run.peak_mb,
              **json.loads(run.out)}
    out = args.out or ROOT / "bench" / "results" / f"print-{args.size}-{date.today().isoformat()}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
