"""Ownership: CODEOWNERS from the maintainers, and `juli check-changes` refusing changes to what is not yours."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from projects import ROOT, copy_project
from generator.checks import validate

ORG_A = "bj-ai-industry-alliance"
ORG_B = "bj-icv-innovation-alliance"


def juli(*argv: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *argv], capture_output=True, text=True,
                          cwd=cwd or ROOT, check=False)


def maintainers(root: Path, org: str) -> list[str]:
    return yaml.safe_load((root / f"catalog/organizations/{org}/organization.yml").read_text("utf-8"))["maintainers"]


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def git(root: Path, *argv: str) -> str:
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "PATH": "/usr/bin:/bin"}
    return subprocess.run(["git", "-C", str(root), *argv], capture_output=True, text=True, check=True, env=env).stdout


def test_codeowners_lists_every_organizations_maintainers(project):
    run = juli("owners", "--root", str(project))
    assert run.returncode == 0, run.stderr
    lines = (project / ".github/CODEOWNERS").read_text("utf-8").splitlines()
    rules = {line.split()[0]: line.split()[1:] for line in lines if line and not line.startswith("#")}
    orgs = sorted(p.name for p in (project / "catalog/organizations").iterdir() if (p / "organization.yml").is_file())
    assert orgs
    for org in orgs:
        expected = [f"@{m}" for m in maintainers(project, org)]
        assert rules[f"/catalog/organizations/{org}/"] == expected
        assert rules[f"/cases/{org}/"] == expected
    office = yaml.safe_load((project / "catalog/programme.yml").read_text("utf-8"))["office"]["handles"]
    assert rules["*"] == office
    assert rules["/catalog/programme.yml"] == office
    assert rules["/catalog/taxonomy.yml"] == office
    # the office's catch-all comes first, so organization lines (later) win for their folders
    assert lines.index(f"* {' '.join(office)}") < lines.index(f"/catalog/organizations/{orgs[0]}/ {' '.join(f'@{m}' for m in maintainers(project, orgs[0]))}")


def test_committed_codeowners_is_up_to_date():
    run = juli("owners", "--check")
    assert run.returncode == 0, run.stderr


def test_owners_check_fails_when_maintainers_change(project):
    assert juli("owners", "--root", str(project)).returncode == 0
    assert juli("owners", "--check", "--root", str(project)).returncode == 0
    path = project / f"catalog/organizations/{ORG_A}/organization.yml"
    path.write_text(path.read_text("utf-8").replace("maintainers: [", "maintainers: [new-person, "), "utf-8")
    run = juli("owners", "--check", "--root", str(project))
    assert run.returncode == 1
    assert "juli owners" in run.stderr


def test_change_to_own_folder_is_accepted_and_to_another_refused(project):
    me = maintainers(project, ORG_A)[0]
    own = [f"catalog/organizations/{ORG_A}/services/new-service.yml", f"cases/{ORG_A}/new-case.yml"]
    run = juli("check-changes", "--author", me, "--root", str(project), *own)
    assert run.returncode == 0, run.stdout + run.stderr
    assert me not in maintainers(project, ORG_B)
    run = juli("check-changes", "--author", me, "--root", str(project), *own,
               f"catalog/organizations/{ORG_B}/services/road-test-application-support.yml")
    assert run.returncode == 1
    assert f"拒绝 catalog/organizations/{ORG_B}/services/road-test-application-support.yml" in run.stdout
    assert "不是你维护的组织" in run.stdout


@pytest.mark.parametrize("path", ["catalog/programme.yml", "catalog/taxonomy.yml", "generator/build/__init__.py",
                                  ".github/CODEOWNERS", "mkdocs.yml"])
def test_programme_files_need_the_office(project, path):
    me = maintainers(project, ORG_A)[0]
    run = juli("check-changes", "--author", me, "--root", str(project), path)
    assert run.returncode == 1
    assert "只有项目办公室" in run.stdout
    assert juli("check-changes", "--author", "juli-office", "--root", str(project), path).returncode == 0


def test_usage_error_without_files_or_base(project):
    assert juli("check-changes", "--author", "x", "--root", str(project)).returncode == 2


def test_organization_cannot_mark_itself_key_or_set_its_integrity(project):
    path = project / f"catalog/organizations/{ORG_A}/organization.yml"
    text = path.read_text("utf-8")
    path.write_text(text + "key: true\nintegrity: {status: 良好}\n", "utf-8")
    found = {(p.code, p.path) for p in validate(project).problems if p.file.endswith(f"{ORG_A}/organization.yml")}
    assert ("JL201", "key") in found and ("JL201", "integrity") in found


def test_base_revision_decides_who_maintains(project):
    """A pull request that adds its author to another organization's maintainers is still refused."""
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "base")
    git(project, "checkout", "-q", "-b", "change")
    intruder = maintainers(project, ORG_A)[0]
    target = project / f"catalog/organizations/{ORG_B}/organization.yml"
    target.write_text(target.read_text("utf-8").replace("maintainers: [", f"maintainers: [{intruder}, "), "utf-8")
    (project / f"catalog/organizations/{ORG_A}/services").mkdir(exist_ok=True)
    shutil.copy(project / f"catalog/organizations/{ORG_A}/services/ai-going-global.yml",
                project / f"catalog/organizations/{ORG_A}/services/ai-going-global-2.yml")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "change")
    run = juli("check-changes", "--author", intruder, "--base", "main", "--root", str(project))
    assert run.returncode == 1
    assert f"拒绝 catalog/organizations/{ORG_B}/organization.yml" in run.stdout
    assert f"可以 catalog/organizations/{ORG_A}/services/ai-going-global-2.yml" in run.stdout
    github = juli("check-changes", "--author", intruder, "--base", "main", "--root", str(project), "--format", "github")
    assert f"::error file=catalog/organizations/{ORG_B}/organization.yml" in github.stdout
