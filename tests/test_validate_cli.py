"""`juli validate` as a contributor and a CI job run it: output formats, paths, exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys

import pytest

from generator.cli import main
from validator_kit import CatalogKit

SERVICE = "catalog/organizations/test-org/services/ip-consulting.yml"


@pytest.fixture
def kit(tmp_path) -> CatalogKit:
    return CatalogKit(tmp_path)


def test_clean_catalog_exits_zero_with_a_summary(kit):
    run = kit.cli()
    assert run.returncode == 0, run.stdout
    assert "没有错误" in run.stdout


def test_text_output_names_file_line_column_field_and_fix(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    run = kit.cli()
    assert run.returncode == 1
    first, fix = run.stdout.splitlines()[:2]
    assert first.startswith(f"{SERVICE}:9:6: 错误 JL303 字段 fee：")
    assert fix.strip().startswith("修改方法：")
    assert "1 个错误" in run.stdout


def test_warnings_alone_exit_zero(kit):
    kit.append(SERVICE, "fee_note: 咨询请拨 13812345678\n")
    run = kit.cli()
    assert run.returncode == 0
    assert "警告 JL315" in run.stdout


def test_json_output_is_a_list_of_objects(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    [item] = kit.cli_json()
    assert item == {
        "file": SERVICE, "line": 9, "column": 6, "level": "error", "code": "JL303", "path": "fee",
        "title": "不在分类词表中", "message": item["message"], "fix": item["fix"],
    }
    assert "`免费`" in item["message"]


def test_github_annotations(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    run = kit.cli("--format", "github")
    assert run.returncode == 1
    [line] = run.stdout.splitlines()
    assert line.startswith(f"::error file={SERVICE},line=9,col=6,title=JL303 不在分类词表中::")


def test_paths_limit_the_report_but_not_the_checks(kit):
    kit.edit(SERVICE, "fee: 免费", "fee: free")
    kit.edit("cases/test-org/ip-case.yml", "services: [ip-consulting]", "services: [gone]")
    only_case = kit.cli_json("cases")
    assert {p["file"] for p in only_case} == {"cases/test-org/ip-case.yml"}
    assert kit.cli("cases").returncode == 1
    assert len(kit.cli_json()) == 2


def test_usage_errors_exit_two(kit, tmp_path):
    assert kit.cli("--format", "xml").returncode == 2
    assert kit.cli("no/such/path").returncode == 2
    missing_root = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(tmp_path / "nope")],
                                  capture_output=True, text=True)
    assert missing_root.returncode == 2


def test_the_shipped_catalog_is_valid(project_root):
    run = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(project_root), "--format", "json"],
                         capture_output=True, text=True)
    errors = [p for p in json.loads(run.stdout) if p["level"] == "error"]
    assert errors == [] and run.returncode == 0


def test_help_lists_every_command_with_its_chinese_summary():
    """Every module of generator/commands is a command: `juli --help` names it with its summary, its own
    `--help` works, and `juli` alone prints the list and exits 2."""
    import importlib
    import pkgutil

    from generator import commands

    def squeeze(text: str) -> str:  # argparse wraps lines, also inside Chinese words
        return re.sub(r"\s", "", text)

    run = subprocess.run([sys.executable, "-m", "generator", "--help"], capture_output=True, text=True)
    assert run.returncode == 0
    listed = squeeze(run.stdout)
    modules = [importlib.import_module(f"generator.commands.{m.name}") for m in pkgutil.iter_modules(commands.__path__)]
    assert len(modules) >= 10
    for module in modules:
        assert squeeze(f"{module.NAME}{module.HELP}") in listed, module.NAME
        assert re.search(r"[\u4e00-\u9fff]", module.HELP), module.NAME
        own = io.StringIO()  # each command's own help in this process: a subprocess each costs a second
        with contextlib.redirect_stdout(own), pytest.raises(SystemExit) as exited:
            main([module.NAME, "--help"])
        assert exited.value.code == 0 and squeeze(module.HELP) in squeeze(own.getvalue()), module.NAME
    bare = subprocess.run([sys.executable, "-m", "generator"], capture_output=True, text=True)
    assert bare.returncode == 2 and squeeze(run.stdout) == squeeze(bare.stdout)
