"""Run a command as a child and report its wall time and peak memory (the benchmark's one measuring tool).

Each command runs under a fresh Python wrapper, so `getrusage(RUSAGE_CHILDREN).ru_maxrss` of that
wrapper is the peak resident set of the command and of everything it started — no figure from an
earlier measurement can leak in.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

_WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1] or None, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kb": peak, "rc": done.returncode,
                  "out": done.stdout.decode("utf-8", "replace")[-4000:],
                  "err": done.stderr.decode("utf-8", "replace")[-4000:]}))
"""


@dataclass
class Run:
    wall: float  # seconds
    peak_mb: float  # peak resident set, MiB
    rc: int
    out: str
    err: str


def run(cmd: list[str | Path], cwd: Path | None = None, check: bool = True) -> Run:
    argv = [sys.executable, "-c", _WRAPPER, str(cwd or "")] + [str(c) for c in cmd]
    done = subprocess.run(argv, capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        raise RuntimeError(f"measuring wrapper failed: {done.stderr}")
    data = json.loads(done.stdout)
    result = Run(data["wall"], data["peak_kb"] / 1024, data["rc"], data["out"], data["err"])
    if check and result.rc != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result.rc}:\n{result.out}\n{result.err}")
    return result


def tool(name: str) -> str:
    """A console script of the project's virtualenv (juli, check-jsonschema, mkdocs, zensical)."""
    path = VENV_BIN / name
    return str(path if path.exists() else name)


def machine() -> dict:
    """What the figures were measured on, including how busy the machine was."""
    import platform
    from datetime import datetime, timezone

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "commit": commit,
            "cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "platform": platform.platform()}
