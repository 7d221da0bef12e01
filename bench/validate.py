"""Validation benchmark: `juli validate` on a generated catalog, beside two ways a team would check the
same files with stock tools.

    python bench/validate.py [--size 10000] [--seed 1] [--skip-check-jsonschema] [--json FILE]

Measured, each in its own child process (wall time, peak resident memory):
- `juli validate --root` — loader with line marks, JSON Schema, every semantic check;
- `check-jsonschema --schemafile <kind schema> <files…>` once per kind — schemas only;
- a plain loop of LibYAML `CSafeLoader` + `jsonschema` Draft 2020-12 — schemas only, no positions.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import measure  # noqa: E402
from bench.generate import generate  # noqa: E402

SCHEMAS = ROOT / "generator" / "schemas"

_LOOP = r"""
import sys, yaml
from pathlib import Path
from jsonschema import Draft202012Validator
sys.path.insert(0, sys.argv[1])
from generator import schemas
from generator.load import discover
sources, _ = discover(Path(sys.argv[2]))
validators = {k: Draft202012Validator(schemas.load(k), registry=schemas.registry()) for k in schemas.KINDS}
errors = 0
for s in sources:
    data = yaml.load(s.path.read_bytes(), Loader=yaml.CSafeLoader)
    errors += sum(1 for _ in validators[s.kind].iter_errors(data))
print(len(sources), errors)
"""


def files_by_kind(catalog: Path) -> dict[str, list[str]]:
    from generator.load import discover

    sources, _ = discover(catalog)
    kinds: dict[str, list[str]] = defaultdict(list)
    for source in sources:
        kinds[source.kind].append(source.rel)
    return kinds


def bench_validate(catalog: Path, entries: int, check_jsonschema: bool = True, repeat: int = 3) -> dict:
    """Figures for the three validators on `catalog` (which holds `entries` entries); ours is the best of
    `repeat` runs, as the machine may be busy with other work."""
    files = files_by_kind(catalog)
    n_files = sum(len(v) for v in files.values())
    ours = min((measure.run([measure.tool("juli"), "validate", "--root", catalog]) for _ in range(repeat)),
               key=lambda r: r.wall)
    result: dict = {
        "machine": measure.machine(), "entries": entries, "files": n_files,
        "juli_validate": {"seconds": round(ours.wall, 3), "peak_mb": round(ours.peak_mb, 1),
                          "entries_per_second": round(entries / ours.wall), "output": ours.out.strip().splitlines()[-1:]},
    }
    loop = measure.run([sys.executable, "-c", _LOOP, ROOT, catalog])
    result["libyaml_jsonschema_loop"] = {"seconds": round(loop.wall, 3), "peak_mb": round(loop.peak_mb, 1),
                                         "entries_per_second": round(entries / loop.wall)}
    if check_jsonschema:
        total, peak, failed = 0.0, 0.0, []
        for kind, rels in sorted(files.items()):
            run = measure.run([measure.tool("check-jsonschema"), "--schemafile", SCHEMAS / f"{kind}.schema.json", *rels],
                              cwd=catalog, check=False)
            total += run.wall
            peak = max(peak, run.peak_mb)
            if run.rc != 0:
                failed.append(kind)
        result["check_jsonschema"] = {"seconds": round(total, 3), "peak_mb": round(peak, 1),
                                      "entries_per_second": round(entries / total), "kinds_reporting_errors": failed}
        result["speedup_vs_check_jsonschema"] = round(total / ours.wall, 1)
    result["speedup_vs_loop"] = round(loop.wall / ours.wall, 2)
    return result


def table(result: dict) -> str:
    rows = [("validator", "seconds", "entries/s", "peak MB")]
    for key, label in (("juli_validate", "juli validate (schemas + semantic checks)"),
                       ("check_jsonschema", "check-jsonschema (schemas only)"),
                       ("libyaml_jsonschema_loop", "LibYAML + jsonschema loop (schemas only)")):
        if key in result:
            r = result[key]
            rows.append((label, f"{r['seconds']:.2f}", f"{r['entries_per_second']:,}", f"{r['peak_mb']:.0f}"))
    width = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, width))) for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-check-jsonschema", action="store_true", help="skip the slowest baseline")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--repeat", type=int, default=3, help="runs of juli validate (the best counts)")
    args = parser.parse_args(argv)
    catalog = ROOT / "bench" / "work" / f"catalog-{args.size}"
    counts = generate(catalog, args.size, args.seed)
    result = bench_validate(catalog, counts["entries"], not args.skip_check_jsonschema, args.repeat)
    print(f"{counts['entries']} entries in {result['files']} files ({catalog})")
    print(table(result))
    if "speedup_vs_check_jsonschema" in result:
        print(f"juli validate is {result['speedup_vs_check_jsonschema']}x as fast as check-jsonschema")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
