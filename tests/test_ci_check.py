"""tools/ci-check.sh, the steps every pull request runs, on a real git repository: a valid change to
one's own folder passes and builds the preview; a change to another organization's folder is refused."""

from __future__ import annotations

import os
import re
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


WORKFLOW = ROOT / ".github/workflows/catalog.yml"


def _steps() -> list[dict]:
    return yaml.safe_load(WORKFLOW.read_text("utf-8"))["jobs"]["check"]["steps"]


def ci(root: Path, author: str, fmt: str | None = None) -> subprocess.CompletedProcess:
    """The workflow's own check step, run as GitHub would run it for a pull request by `author` against
    `main`: its command and its environment, with the event's values put in (and `juli` on the PATH)."""
    step = next(s for s in _steps() if s.get("run", "").strip().endswith("ci-check.sh"))
    base = subprocess.run(["git", "-C", str(root), "rev-parse", "main"], capture_output=True, text=True, check=True)
    event = {"github.event.pull_request.user.login": author, "github.event.pull_request.base.sha": base.stdout.strip()}
    env = {name: re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: event[m.group(1)], str(value))
           for name, value in step["env"].items()}
    if fmt:
        env["JULI_FORMAT"] = fmt
    env = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(ROOT)}
    return subprocess.run(["bash", "-c", step["run"]], capture_output=True, text=True, env=env, cwd=root, check=False)


@pytest.mark.slow
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
    run = ci(root, me, fmt="text")
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"可以 catalog/organizations/{ORG_A}/services/ai-going-global.yml" in run.stdout
    assert (root / "site/index.html").is_file()
    assert "全部检查通过" in run.stdout

    git(root, "checkout", "-q", "-b", "other", "main")
    other = root / f"catalog/organizations/{ORG_B}/organization.yml"
    other.write_text(other.read_text("utf-8").replace("type: ", "type: 不存在的类型\n# was: ", 1), "utf-8")
    git(root, "commit", "-q", "-am", "change another organization")
    run = ci(root, me)  # the workflow's own format: GitHub annotations
    assert run.returncode == 1
    assert f"::error file=catalog/organizations/{ORG_B}/organization.yml,title=无权修改::" in run.stdout
    assert f"::error file=catalog/organizations/{ORG_B}/organization.yml,line=" in run.stdout  # JL303 annotation
    assert "跳过构建" in run.stdout
    assert "validate" in run.stderr and "check-changes" in run.stderr


def test_workflow_is_valid_and_keeps_the_site_the_script_builds():
    """The workflow is checked against GitHub's workflow schema (vendored by check-jsonschema, offline); what
    it runs is exercised above; here only what ties its steps together: the preview it uploads is the
    folder the check step builds into."""
    run = subprocess.run([str(Path(sys.executable).parent / "check-jsonschema"), "--builtin-schema",
                          "vendor.github-workflows", str(WORKFLOW)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    steps = _steps()
    check = next(s for s in steps if s.get("run", "").strip().endswith("ci-check.sh"))
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("actions/upload-artifact"))
    assert upload["with"]["path"].rstrip("/") == check["env"]["JULI_OUT"]
