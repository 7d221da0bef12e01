"""The pull-request trust boundary on real git repositories: the check that decides a pull request runs
the base revision's code, exactly as .github/workflows/catalog.yml lays it out (base checked out into
judge/, the pull request into pr/ as data), so a pull request that edits another organization's entry
and also rewrites tools/ci-check.sh or the generator fails; a correct pull request adding a whole new
organization passes; check-changes refuses symbolic links and prints file names that cannot forge
workflow commands."""

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
NEW_ORG = "bj-quantum-newcomer-alliance"
WORKFLOW = ROOT / ".github/workflows/catalog.yml"
CODE = ("generator", "tools", ".github", "schemas")
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org"}


def git(root: Path, *argv: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *argv], capture_output=True, text=True, check=True,
                          env={**os.environ, **GIT_ENV})
    return done.stdout.strip()


def juli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *argv], capture_output=True, text=True,
                          cwd=ROOT, check=False)


@pytest.fixture
def pr(tmp_path) -> Path:
    """A repository with the whole project (code included) committed on main, checked out as the
    workflow does it: ws/pr."""
    repo = copy_project(tmp_path / "ws" / "pr")
    for name in CODE:
        shutil.copytree(ROOT / name, repo / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo


def maintainer(root: Path, org: str) -> str:
    return yaml.safe_load((root / f"catalog/organizations/{org}/organization.yml").read_text("utf-8"))["maintainers"][0]


def check_step() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    return next(s for s in workflow["jobs"]["check"]["steps"] if "ci-check.sh" in str(s.get("run", "")))


def run_as_workflow(repo: Path, author: str) -> subprocess.CompletedProcess:
    """What the check job does: the base revision into judge/ (next to pr/), then the check step's own
    command and environment, with the GitHub expressions filled in."""
    ws = repo.parent
    base = git(repo, "rev-parse", "main")
    git(repo, "worktree", "add", "-q", "--detach", str(ws / "judge"), base)
    step = check_step()
    values = {"github.event.pull_request.user.login": author,
              "github.event.pull_request.base.sha || github.event.before": base}
    env = {k: re.sub(r"\$\{\{\s*(.*?)\s*\}\}", lambda m: values[m.group(1)], str(v)) for k, v in step["env"].items()}
    env = {**os.environ, **env, "JULI_PYTHON": sys.executable}
    env.pop("PYTHONPATH", None)
    return subprocess.run(["bash", "-c", step["run"]], cwd=ws, env=env, capture_output=True, text=True, check=False)


def test_workflow_judges_with_the_base_revision():
    workflow = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    assert set(workflow[True] if True in workflow else workflow["on"]) == {"pull_request_target", "push"}
    steps = workflow["jobs"]["check"]["steps"]
    checkouts = [s for s in steps if str(s.get("uses", "")).startswith("actions/checkout")]
    judge = next(s for s in checkouts if s["with"]["path"] == "judge")
    assert "base.sha" in judge["with"]["ref"]
    data = next(s for s in checkouts if s["with"]["path"] == "pr")
    assert data["with"]["fetch-depth"] == 0 and "refs/pull/" in data["with"]["ref"]
    assert all(s["with"]["persist-credentials"] is False for s in checkouts)
    runs = " ".join(str(s.get("run", "")) for s in steps)
    assert "./pr/" not in runs and "uv sync --frozen --project judge" in runs  # the base code, at its locked versions
    assert check_step()["run"] == "./judge/tools/ci-check.sh" and check_step()["env"]["JULI_TREE"] == "pr"
    assert workflow["permissions"] == {"contents": "read"}
    assert "secrets." not in WORKFLOW.read_text("utf-8")
    preview = yaml.safe_load((ROOT / ".github/workflows/preview.yml").read_text("utf-8"))
    assert set(preview[True] if True in preview else preview["on"]) == {"pull_request"}
    assert preview["permissions"] == {"contents": "read"}


@pytest.mark.slow
def test_pull_request_cannot_weaken_its_own_check(pr):
    me = maintainer(pr, ORG_A)
    other = pr / f"catalog/organizations/{ORG_B}/services"
    victim = sorted(other.glob("*.yml"))[0]
    victim.write_text(victim.read_text("utf-8").replace("title: ", "title: 被改写的标题\n# was: ", 1), "utf-8")
    script = pr / "tools/ci-check.sh"
    script.write_text(script.read_text("utf-8").replace("set -uo pipefail\n", "set -uo pipefail\nunset JULI_AUTHOR JULI_BASE\n"), "utf-8")
    judge = pr / "generator/commands/check_changes.py"
    judge.write_text(judge.read_text("utf-8").replace('    office = "、".join(owners.office)', '    return rel, True, "ok"\n    office = "、".join(owners.office)', 1), "utf-8")
    git(pr, "commit", "-q", "-am", "edit another organization and the check")

    # The attack is real: the pull request's own script (and code) would let it through.
    own = subprocess.run([str(script)], cwd=pr, capture_output=True, text=True, check=False,
                         env={**os.environ, "JULI_AUTHOR": me, "JULI_BASE": "main", "JULI_PYTHON": sys.executable,
                              "JULI_TREE": str(pr), "JULI_OUT": str(pr.parent / "own-site")})
    assert own.returncode == 0, own.stdout + own.stderr

    run = run_as_workflow(pr, me)
    assert run.returncode == 1, run.stdout + run.stderr
    for rel in (victim.relative_to(pr).as_posix(), "tools/ci-check.sh", "generator/commands/check_changes.py"):
        assert f"::error file={rel},title=无权修改::" in run.stdout
    assert "check-changes" in run.stderr
    assert "跳过构建" in run.stdout and not (pr.parent / "checked-site").exists()


def _uscc(org_code: str) -> str:
    """A valid unified social credit code for an 8-character organization code body (GB 11714, GB 32100)."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = sum(digits.index(c) * w for c, w in zip(org_code, (3, 7, 9, 10, 5, 8, 4, 2)))
    check = (11 - total % 11) % 11
    body = "51110108" + org_code + ("X" if check == 10 else str(check))
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(chars.index(c) * w for c, w in zip(body, weights))
    return body + chars[(31 - total % 31) % 31]


@pytest.mark.slow
def test_pull_request_adding_a_new_organization_is_green(pr):
    source = pr / f"catalog/organizations/{ORG_A}"
    folder = pr / f"catalog/organizations/{NEW_ORG}"
    (folder / "services").mkdir(parents=True)
    text = (source / "organization.yml").read_text("utf-8")
    data = yaml.safe_load(text)
    for old, new in ((f"id: {ORG_A}", f"id: {NEW_ORG}"), (data["name"], "北京量子新秀联盟(示例)"),
                     (f"short_name: {data['short_name']}", "short_name: 量子新秀"),
                     (data["name_en"], "Beijing Quantum Newcomer Alliance (example)"),
                     (f"uscc: {data['uscc']}", f"uscc: {_uscc('MJ009934')}"), ("logo: logo.png\n", ""),
                     (re.search(r"maintainers: .*", text).group(0), "maintainers: [quantum-newbie]")):
        assert old in text
        text = text.replace(old, new)
    (folder / "organization.yml").write_text(text, "utf-8")
    service = sorted((source / "services").glob("*.yml"))[0]
    shutil.copy(service, folder / "services" / service.name)
    git(pr, "add", "-A")
    git(pr, "commit", "-q", "-m", "new organization")

    run = run_as_workflow(pr, "quantum-newbie")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "全部检查通过" in run.stdout and "没有错误" in run.stdout
    assert (pr.parent / "checked-site/index.html").is_file()
    assert f"/organizations/{NEW_ORG}/" in (pr.parent / "checked-site/sitemap.xml").read_text("utf-8")
    # ownership stays enforced: the newcomer still may not touch an established organization
    refused = juli("check-changes", "--root", str(pr), "--author", "quantum-newbie",
                   f"catalog/organizations/{ORG_B}/organization.yml")
    assert refused.returncode == 1


@pytest.mark.slow
def test_ci_script_with_a_relative_venv_from_a_subfolder(tmp_path):
    root = copy_project(tmp_path / "p")
    for name in (".github", "schemas", "tools"):
        shutil.copytree(ROOT / name, root / name)
    (root / ".venv").symlink_to(Path(sys.executable).parent.parent)
    run = subprocess.run([str(root / "tools/ci-check.sh")], cwd=root / "catalog", capture_output=True, text=True,
                         env={**os.environ, "JULI": ".venv/bin/juli", "PYTHONPATH": str(ROOT)}, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (root / "site/index.html").is_file()


def test_check_changes_refuses_symlinks_and_cannot_be_made_to_forge_annotations(pr):
    me = maintainer(pr, ORG_A)
    own = pr / f"catalog/organizations/{ORG_A}/services"
    victim = sorted((pr / f"catalog/organizations/{ORG_B}/services").glob("*.yml"))[0]
    (own / "borrowed.yml").symlink_to(os.path.relpath(victim, own))
    (own / "passwd.yml").symlink_to("/etc/passwd")
    forged = pr / f"catalog/organizations/{ORG_B}/services/x\n::warning file=README.md::forged\r%0A.yml"
    forged.write_text("title: x\n", "utf-8")
    (own / "fine.yml").write_text("title: x\n", "utf-8")
    git(pr, "add", "-A")
    git(pr, "commit", "-q", "-m", "links")
    assert git(pr, "ls-files", "-s", f"catalog/organizations/{ORG_A}/services/borrowed.yml").startswith("120000")

    for fmt in ("github", "text"):
        run = juli("check-changes", "--root", str(pr), "--base", "main", "--author", me, "--format", fmt)
        assert run.returncode == 1
        lines = run.stdout.splitlines()
        assert not [line for line in lines if line.startswith("::") and not line.startswith("::error file=")], lines
        assert not any("forged" in line and not line.startswith(("::error", "拒绝")) for line in lines)
        if fmt == "github":
            errors = [line for line in lines if line.startswith("::error")]
            assert len(errors) == 3, lines
            assert any("borrowed.yml,title=不是普通文件::" in e and "符号链接" in e for e in errors)
            assert any("x%0A%3A%3Awarning file=README.md%3A%3Aforged%0D%250A.yml" in e for e in errors)
        else:
            assert f"可以 catalog/organizations/{ORG_A}/services/fine.yml" in run.stdout
            assert "x\\n::warning file=README.md::forged\\r%0A.yml" in run.stdout
    # named on the command line (no git): the link on disk is refused as well
    run = juli("check-changes", "--root", str(pr), "--author", me, f"catalog/organizations/{ORG_A}/services/passwd.yml")
    assert run.returncode == 1 and "符号链接" in run.stdout


def test_owners_check_accepts_the_base_codeowners(pr):
    path = pr / f"catalog/organizations/{ORG_A}/organization.yml"
    path.write_text(path.read_text("utf-8").replace("maintainers: [", "maintainers: [new-person, "), "utf-8")
    git(pr, "commit", "-q", "-am", "a new maintainer")
    stale = juli("owners", "--check", "--root", str(pr))
    assert stale.returncode == 1
    assert juli("owners", "--check", "--root", str(pr), "--base", "main").returncode == 0
    codeowners = pr / ".github/CODEOWNERS"
    codeowners.write_text(codeowners.read_text("utf-8") + "/catalog/ @someone\n", "utf-8")  # edited by hand
    assert juli("owners", "--check", "--root", str(pr), "--base", "main").returncode == 1
