"""tools/ci-check.sh, the steps every pull request runs, on a real git repository: a valid change to
one's own folder passes and builds the preview; a change to another organization's folder is refused."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from projects import ROOT, copy_project

ORG_A = "bj-ai-industry-alliance"
ORG_B = "bj-icv-innovation-alliance"


def git(root: Path, *argv: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    subprocess.run(["git", "-C", str(root), *argv], check=True, capture_output=True, env=env)


def ci(root: Path, author: str, fmt: str = "text") -> subprocess.CompletedProcess:
    env = {**os.environ, "JULI": f"{sys.executable} -m generator", "JULI_FORMAT": fmt, "JULI_AUTHOR": author,
           "JULI_BASE": "main", "PYTHONPATH": str(ROOT)}
    return subprocess.run([str(root / "tools/ci-check.sh")], capture_output=True, text=True, env=env, cwd=root, check=False)


def test_ci_script_on_pull_requests(tmp_path):
    root = copy_project(tmp_path / "p")
    for name in (".github", "schemas", "tools"):
        shutil.copytree(ROOT / name, root / name)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    me = yaml.safe_load((root / f"catalog/organizations/{ORG_A}/organization.yml").read_text("utf-8"))["maintainers"][0]

    git(root, "checkout", "-q", "-b", "own")
    service = root / f"catalog/organizations/{ORG_A}/services/ai-going-global.yml"
    service.write_text(service.read_text("utf-8").replace("updated: ", "updated: 2026-11-20\n# was: ", 1), "utf-8")
    git(root, "commit", "-q", "-am", "own change")
    run = ci(root, me)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"可以 catalog/organizations/{ORG_A}/services/ai-going-global.yml" in run.stdout
    assert (root / "site/index.html").is_file()
    assert "全部检查通过" in run.stdout

    git(root, "checkout", "-q", "-b", "other", "main")
    other = root / f"catalog/organizations/{ORG_B}/organization.yml"
    other.write_text(other.read_text("utf-8").replace("type: ", "type: 不存在的类型\n# was: ", 1), "utf-8")
    git(root, "commit", "-q", "-am", "change another organization")
    run = ci(root, me, fmt="github")
    assert run.returncode == 1
    assert f"::error file=catalog/organizations/{ORG_B}/organization.yml,title=无权修改::" in run.stdout
    assert f"::error file=catalog/organizations/{ORG_B}/organization.yml,line=" in run.stdout  # JL303 annotation
    assert "跳过构建" in run.stdout
    assert "validate" in run.stderr and "check-changes" in run.stderr


def test_preview_workflow_keeps_the_site():
    """The preview (the pull request's own code) is kept as an artifact; the verdict is catalog.yml's
    (tests/test_trust_ci.py)."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/preview.yml").read_text("utf-8"))
    steps = workflow["jobs"]["preview"]["steps"]
    checkout = next(s for s in steps if str(s.get("uses", "")).startswith("actions/checkout"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("run") == ".venv/bin/juli build --out site" for s in steps)
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site/"
    assert workflow["permissions"] == {"contents": "read"}


@pytest.mark.parametrize("workflow", sorted((ROOT / ".github/workflows").glob("*.yml")), ids=lambda p: p.name)
def test_workflows_follow_githubs_schema(workflow):
    """Every workflow is valid for GitHub (its workflow schema, vendored by check-jsonschema: offline)."""
    run = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                          "vendor.github-workflows", str(workflow)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
