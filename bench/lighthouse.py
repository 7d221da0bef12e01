"""Lighthouse (npm, pinned in bench/lighthouse/package.json) on the pages readers land on, mobile form
factor with its default simulated throttling, run offline against the built site served like nginx with
precompressed files (bench/static_server.py). Issue 13's targets: performance ≥ 95, accessibility 100.

    python bench/lighthouse.py [SITE] [--out FILE]   # SITE defaults to ./site; prints the scores, writes FILE

Setup: `npm ci --prefix bench/lighthouse` (make bench does it); Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.static_server import serve  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync"
TARGETS = {"performance": 95, "accessibility": 100}


def pages(site: Path) -> dict[str, str]:
    """One page of each kind: home, directory, an entry, an organization profile, map, progress."""
    entry = sorted(p.parent for p in (site / "directory").glob("*/*/index.html"))[0]
    profile = sorted(p.parent for p in (site / "organizations").glob("*/index.html"))[0]
    return {"home": "", "directory": "directory/", "entry": entry.relative_to(site).as_posix() + "/",
            "profile": profile.relative_to(site).as_posix() + "/", "map": "map/", "progress": "progress/"}


def run(site: Path) -> dict[str, dict]:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: npm ci --prefix bench/lighthouse")
    base, stop = serve(site)
    scores = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in pages(site).items():
                report = Path(tmp) / f"{name}.json"
                subprocess.run([str(LIGHTHOUSE), base + path, "--quiet", "--output=json", f"--output-path={report}",
                                "--only-categories=performance,accessibility", f"--chrome-flags={CHROME_FLAGS}"],
                               check=True, env={**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")},
                               capture_output=True)
                data = json.loads(report.read_text("utf-8"))
                audits = data["audits"]
                failing = sorted(k for k, a in audits.items()
                                 if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"
                                 and k in {r["id"] for r in data["categories"]["accessibility"]["auditRefs"]})
                scores[name] = {
                    "path": path,
                    "performance": round(data["categories"]["performance"]["score"] * 100),
                    "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
                    "fcp_ms": round(audits["first-contentful-paint"]["numericValue"]),
                    "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
                    "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
                    "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
                    "transfer_kb": round(audits["total-byte-weight"]["numericValue"] / 1024, 1),
                    "accessibility_failures": failing,
                }
    finally:
        stop()
    return scores


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    scores = run(args.site)
    text = json.dumps(scores, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    missed = [f"{name} {k} {s[k]} < {t}" for name, s in scores.items() for k, t in TARGETS.items() if s[k] < t]
    print("all targets met" if not missed else "targets missed: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
