"""Run a command as a child and report its wall time and peak memory (the benchmark's one measuring tool).

Each command runs under a fresh Python wrapper, so no figure from an earlier measurement can leak in.
Peak memory is the larger of two figures: `getrusage(RUSAGE_CHILDREN).ru_maxrss`, the exact peak of the
largest single process the command started, and the sum of the proportional set sizes (PSS: a page
shared by forked processes counts once) of the command and all its descendants, sampled every 0.1 s —
a build that runs processes side by side must count them together.
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
import json, os, resource, subprocess, sys, tempfile, time

def tree(root):
    children = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(pid))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += children.get(pid, [])
    return out

def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

start = time.perf_counter()
with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
    proc = subprocess.Popen(sys.argv[2:], cwd=sys.argv[1] or None, stdout=out, stderr=err)
    summed = 0
    sampling = os.path.exists("/proc/self/smaps_rollup")
    while proc.poll() is None:
        if sampling:
            summed = max(summed, sum(pss_kb(pid) for pid in tree(proc.pid)))
        time.sleep(0.1)
    wall = time.perf_counter() - start
    out.seek(0)
    err.seek(0)
    stdout, stderr = out.read(), err.read()
largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "peak_kb": max(largest, summed), "largest_kb": largest, "summed_kb": summed,
                  "rc": proc.returncode, "out": stdout.decode("utf-8", "replace")[-4000:],
                  "err": stderr.decode("utf-8", "replace")[-4000:]}))
"""


@dataclass
class Run:
    wall: float  # seconds
    peak_mb: float  # peak memory, MiB: the larger of the two below
    largest_mb: float  # peak resident set of the largest single process
    summed_mb: float  # peak sampled PSS of the whole process tree
    rc: int
    out: str
    err: str


def run(cmd: list[str | Path], cwd: Path | None = None, check: bool = True) -> Run:
    argv = [sys.executable, "-c", _WRAPPER, str(cwd or "")] + [str(c) for c in cmd]
    os.sync()  # the previous step's writes are flushed now, not during this measurement
    done = subprocess.run(argv, capture_output=True, text=True, env=os.environ | {"PYTHONHASHSEED": "0"})
    if done.returncode != 0:
        raise RuntimeError(f"measuring wrapper failed: {done.stderr}")
    data = json.loads(done.stdout)
    result = Run(data["wall"], data["peak_kb"] / 1024, data["largest_kb"] / 1024, data["summed_kb"] / 1024, data["rc"],
                 data["out"], data["err"])
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
