"""`juli report stale` lists exactly the entries a reviewer would find by reading the files' dates."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from projects import ROOT, copy_project


def report(root: Path, *argv: str) -> dict:
    run = subprocess.run([sys.executable, "-m", "generator", "report", "stale", "--root", str(root), "--format", "json", *argv],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def expected(root: Path, today: date, months: int) -> dict[str, set[str]]:
    """Read straight from the YAML files: what is older than the review period, or past valid_until."""
    cutoff = date(today.year - months // 12, today.month, today.day)  # whole years only in these tests
    found: dict[str, set[str]] = {}
    for path in sorted((root / "catalog/organizations").glob("*/*/*.yml")) + sorted((root / "cases").glob("*/*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        org = path.parent.parent.name if path.parent.name in ("services", "resources") else path.parent.name
        uid = f"{org}/{path.stem}"
        changed = data.get("updated") or data.get("date")
        if changed < cutoff:
            found.setdefault(uid, set()).add("review")
        if data.get("valid_until") and data["valid_until"] < today:
            found.setdefault(uid, set()).add("expired")
    return found


def listed(result: dict) -> dict[str, set[str]]:
    return {item["uid"]: set(item["reasons"]) for org in result["organizations"] for item in org["items"]}


@pytest.mark.parametrize("today", ["2025-09-01", "2026-03-15", "2027-06-30"])
def test_stale_report_matches_the_files(today):
    result = report(ROOT, "--today", today)
    assert result["today"] == today and result["review_months"] == 12
    assert listed(result) == expected(ROOT, date.fromisoformat(today), 12)
    for org in result["organizations"]:
        assert all(item["uid"].startswith(org["id"] + "/") for item in org["items"])


def test_default_today_is_the_catalogs_newest_date():
    result = report(ROOT)
    newest = max((yaml.safe_load(p.read_text("utf-8")).get("updated") or yaml.safe_load(p.read_text("utf-8"))["date"])
                 for p in [*ROOT.glob("catalog/organizations/*/*/*.yml"), *ROOT.glob("cases/*/*.yml")])
    assert result["today"] == newest.isoformat()


def test_review_period_comes_from_the_programme(tmp_path):
    root = copy_project(tmp_path / "p")
    programme = root / "catalog/programme.yml"
    programme.write_text(programme.read_text("utf-8").replace("review_months: 12", "review_months: 24"), "utf-8")
    result = report(root, "--today", "2027-06-30")
    assert result["review_months"] == 24
    assert listed(result) == expected(root, date(2027, 6, 30), 24)
    # a freshly edited entry leaves the list
    stale_uid = next(iter(listed(result)))
    org, entry = stale_uid.split("/")
    path = next(p for p in [*root.glob(f"catalog/organizations/{org}/*/{entry}.yml"), *root.glob(f"cases/{org}/{entry}.yml")])
    text = path.read_text("utf-8")
    data = yaml.safe_load(text)
    key = "updated" if "updated" in data else "date"
    path.write_text(text.replace(f"{key}: {data[key].isoformat()}", f"{key}: 2027-06-01"), "utf-8")
    if "valid_until" in data:
        path.write_text(path.read_text("utf-8").replace(f"valid_until: {data['valid_until'].isoformat()}", "valid_until: 2028-01-01"), "utf-8")
    assert stale_uid not in listed(report(root, "--today", "2027-06-30"))
