"""The change log page `changes/`: what changed in the catalog, when, per organization, read from the
project's git history (`git log --name-status` over catalog/organizations and cases). Dates are the
commits' dates in Beijing time, so the same history always gives the same page. Without a git
repository at the project root the page says so; it never invents a history.
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Iterable

from ..model import urls
from ..schemas import fields as kinds
from ..load import classify
from ..model import Catalog
from . import Context, Output
from .frontmatter import page
from .templating import render as render_template

URL = "changes/"
MAX_COMMITS = 1000
BEIJING = timezone(timedelta(hours=8))
ACTIONS = {"A": "新增", "M": "修改", "D": "删除"}
KIND_WORDS = {"organization": "组织信息", "figures": "年度服务数据", "service": kinds.file_title("service"),
              "resource": kinds.file_title("resource"), "case": kinds.file_title("case")}


@dataclass(frozen=True)
class Change:
    day: str
    org: str
    kind: str
    action: str
    rel: str
    title: str
    link: str


def history(root: Path) -> list[tuple[str, str, str]] | None:
    """(Beijing date, status letter, path) for every file change, newest first; None without git history."""
    log = _git(root, "log", f"--max-count={MAX_COMMITS}", "--no-renames", "--name-status", "--format=@@%cI", "--",
               "catalog/organizations", "cases")
    if log is None:
        return None
    out, day = [], ""
    for line in log.splitlines():
        if line.startswith("@@"):
            day = datetime.fromisoformat(line[2:]).astimezone(BEIJING).date().isoformat()
        elif "\t" in line:
            status, path = line.split("\t", 1)
            out.append((day, status[:1], path))
    return out


def first_seen(root: Path) -> dict[str, date] | None:
    """The Beijing day each catalog and case file first appeared (the oldest commit that added it, over the
    whole history: adding commits are few), by path; None without a git history at `root`."""
    log = _git(root, "log", "--diff-filter=A", "--no-renames", "--name-only", "--format=@@%cI", "--",
               "catalog/organizations", "cases")
    if log is None:
        return None
    found: dict[str, date] = {}
    day = None
    for line in log.splitlines():  # newest first: the last addition seen is the oldest
        if line.startswith("@@"):
            day = datetime.fromisoformat(line[2:]).astimezone(BEIJING).date()
        elif line and day is not None:
            found[line] = day
    return found


def _git(root: Path, *args: str) -> str | None:
    """`git args` at `root` when `root` is the top of a git work tree; None otherwise."""
    try:
        top = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=False)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != root.resolve():
            return None
        run = subprocess.run(["git", "-C", str(root), "-c", "core.quotepath=off", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return run.stdout if run.returncode == 0 else None


def changes(catalog: Catalog, log: list[tuple[str, str, str]]) -> list[Change]:
    """One change per file and day (the day's net effect), newest day first, then by organization and file."""
    per_day: dict[tuple[str, str], list[str]] = defaultdict(list)
    for day, status, path in log:  # newest first within the log
        if status in ACTIONS and classify(path) is not None:
            per_day[(day, path)].append(status)
    items = {**{f"{o.id}/organization": o for o in catalog.organizations}, **{e.uid: e for e in catalog.entries},
             **{f"{c.org}/case/{c.id}": c for c in catalog.cases}}
    out = []
    for (day, path), statuses in per_day.items():
        source = classify(path)
        if source is None or source.kind not in KIND_WORDS or not source.org:
            continue
        action = "D" if statuses[0] == "D" else "A" if "A" in statuses else "M"
        key = {"organization": f"{source.org}/organization", "case": f"{source.org}/case/{source.stem}"}.get(
            source.kind, f"{source.org}/{source.stem}")
        item = items.get(key) if source.kind != "figures" else items.get(f"{source.org}/organization")
        title = (getattr(item, "title", "") or getattr(item, "name", "")) if item is not None else ""
        link = urls.relative(URL, urls.page(item)) if item is not None and action != "D" else ""
        out.append(Change(day, source.org, source.kind, ACTIONS[action], path, title or source.stem or "", link))
    out.sort(key=lambda c: (c.org, c.rel))
    return sorted(out, key=lambda c: c.day, reverse=True)


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    log = history(ctx.root)
    found = changes(c, log) if log is not None else []
    days: dict[str, dict[str, list[Change]]] = {}
    for change in found:
        days.setdefault(change.day, {}).setdefault(change.org, []).append(change)
    names = {o.id: o.name for o in c.organizations}
    summary = []
    for org in sorted({ch.org for ch in found}):
        mine = [ch for ch in found if ch.org == org]
        summary.append({"org": org, "name": names.get(org, org), "count": len(mine), "last": max(ch.day for ch in mine),
                        "link": urls.relative(URL, urls.page(c.organization(org))) if org in names else ""})
    body = render_template("changes/changes.html", available=log is not None, days=days, names=names,
                           summary=summary, kinds=KIND_WORDS, limit=MAX_COMMITS,
                           local_time=c.programme.wording.local_time)
    yield page(URL, "更新记录", f"{c.programme.site.title}中各组织的服务产品、资源、案例和组织信息的新增、修改和删除记录，来自目录的版本历史。",
               body, hide=("navigation",))
