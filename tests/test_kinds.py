"""Kinds and fields are declared once, in the JSON Schemas (and the taxonomy's kind names), and every
part of the site reads them: the worked example adds a resource kind by editing only those two files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
import yaml

from generator import schemas
from generator.schemas import fields as kinds
from projects import copy_project

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u4e00-\u9fff]")


def _properties(node, path=""):
    """Every property of a schema, nested ones and those of kind branches and shared definitions included."""
    if isinstance(node, dict):
        for name, sub in node.get("properties", {}).items():
            yield f"{path}{name}", sub
            yield from _properties(sub, f"{path}{name}.")
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                yield from _properties(node[key], f"{path}{'[]' if key == 'items' else '*'}.")
        for branch in node.get("allOf", []):
            yield from _properties(branch.get("then", {}), path)
        for name, sub in node.get("$defs", {}).items():
            yield from _properties(sub, f"{path}{name}:")


@pytest.mark.parametrize("name", ("common",) + schemas.KINDS)
def test_every_field_has_a_title_and_a_chinese_description(name):
    """As Datasette's documentation tests do: a field without help text fails the suite, so `juli new`,
    the editors and the published fields page never show a bare name."""
    missing = [path for path, node in _properties(schemas.load(name))
               if not node.get("title", "").strip() or not HAN.search(node.get("description", ""))]
    assert not missing, f"{name}.schema.json: fields without a title and a Chinese description: {missing}"


def test_resource_kinds_agree_between_schema_and_taxonomy():
    taxonomy = yaml.safe_load((ROOT / "catalog/taxonomy.yml").read_text("utf-8"))
    branches = [b["if"]["properties"]["kind"]["const"] for b in schemas.load("resource")["allOf"]]
    assert list(kinds.resource_kinds()) == branches
    assert [t["id"] for t in taxonomy["resource_kinds"]] == list(kinds.resource_kinds())
    assert kinds.kind_names(taxonomy)["service"] == "服务产品"


def test_declarations_read_back():
    assert ("number", "title") in kinds.searchable("resource", "standard")
    assert ("drafters", "text") in kinds.searchable("resource", "standard")
    roles = {role for f in ("service", "resource", "case", "organization") for kind in (None, *kinds.resource_kinds())
             for _, role in kinds.searchable(f, kind if f == "resource" else None)}
    assert roles == {"title", "term", "summary", "text"}  # only the roles search.WEIGHTS knows
    assert [f.name for f in kinds.page_rows("standard")][:3] == ["number", "level", "status"]
    assert [d.key for d in kinds.facets()] == ["service", "district", "fee", "capability", "field", "park", "audience"]
    assert [f.name for f in kinds.share_facts("service")] == ["service_kinds", "delivery", "fee", "how_to_apply"]
    assert kinds.field("patent_pool", "patents").unit == "件"
    assert kinds.field("service", "fee").companion == "fee_note"


# --- The worked example (ARCHITECTURE.md): a new resource kind from the taxonomy and the schema alone ---

TALENT_KIND = {"id": "talent", "name": "人才服务", "en": "Talent service", "capability": "platforms"}
TALENT_TYPES = [{"id": "recruiting", "name": "人才招聘", "en": "Recruiting"},
                {"id": "secondment", "name": "人才挂职", "en": "Secondment"}]
TALENT_BRANCH = {
    "if": {"properties": {"kind": {"const": "talent"}}, "required": ["kind"]},
    "then": {
        "required": ["talent_type"],
        "properties": {
            "talent_type": {"title": "人才服务类型", "description": "人才服务的类型,选一个",
                            "$ref": "common.schema.json#/$defs/term", "x-vocabulary": "talent_types",
                            "x-page": 1, "x-facet": {"key": "talent", "order": 8}, "x-share": 1},
            "directions": {"title": "人才方向", "description": "面向的人才方向，一行，如 芯片设计工程师",
                           "$ref": "common.schema.json#/$defs/line", "x-page": 2, "x-search": "text", "x-share": 2},
        },
    },
}
ENTRY = """\
schema_version: 1
id: chip-talent
kind: talent
title: 芯片设计人才对接服务
summary: 为会员企业对接高校芯片设计方向的毕业生和在职工程师,每季度一次专场。
fields: [集成电路]
talent_type: 人才招聘
directions: 芯片设计验证工程师
published: 2030-01-01
updated: 2030-01-01
"""


def _add_talent_kind(copy: Path) -> None:
    """The whole change a programme needs for a new kind: two files, nothing in Python or templates."""
    taxonomy_path = copy / "catalog/taxonomy.yml"
    text = taxonomy_path.read_text("utf-8")
    text = text.replace("resource_kinds:", "resource_kinds:\n  - " + json.dumps(TALENT_KIND, ensure_ascii=False), 1)
    text += "\ntalent_types:\n" + "".join(f"  - {json.dumps(t, ensure_ascii=False)}\n" for t in TALENT_TYPES)
    taxonomy_path.write_text(text, "utf-8")
    schema_path = copy / "generator/schemas/resource.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    schema["properties"]["kind"]["enum"].append("talent")
    schema["allOf"].append(TALENT_BRANCH)
    schema_path.write_text(json.dumps(schema, ensure_ascii=False, indent=2), "utf-8")


def _run(copy: Path, *argv: str, code: str | None = None) -> subprocess.CompletedProcess:
    """The copy's own `juli` (its generator package first on the path), as a contributor runs it."""
    env = {**os.environ, "PYTHONPATH": str(copy)}
    args = [sys.executable, "-c", code] if code else [sys.executable, "-m", "generator", *argv]
    return subprocess.run(args, cwd=copy, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False)


@pytest.fixture(scope="module")
def talent(tmp_path_factory) -> Path:
    copy = copy_project(tmp_path_factory.mktemp("talent"))
    shutil.copytree(ROOT / "generator", copy / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    _add_talent_kind(copy)
    org = sorted(p.name for p in (copy / "catalog/organizations").iterdir())[0]
    (copy / f"catalog/organizations/{org}/resources").mkdir(exist_ok=True)
    (copy / f"catalog/organizations/{org}/resources/chip-talent.yml").write_text(ENTRY, "utf-8")
    return copy


@pytest.mark.slow
def test_a_new_kind_reaches_every_output(talent):
    assert _run(talent, "validate", "--root", str(talent)).returncode == 0
    built = _run(talent, "build", "--root", str(talent))
    assert built.returncode == 0, built.stderr
    site = talent / "site"
    org = sorted(p.name for p in (talent / "catalog/organizations").iterdir())[0]

    page = next(site.glob(f"**/{org}/chip-talent/index.html")).read_text("utf-8")
    assert '<span class="juli-badge">人才服务</span>' in page
    assert "<dt>人才服务类型</dt><dd>人才招聘</dd>" in page and "<dt>人才方向</dt><dd>芯片设计验证工程师</dd>" in page

    listing = json.loads((site / "directory/entries.json").read_text("utf-8"))
    facets = {f["key"]: f for f in listing["facets"]}
    assert ["talent", "人才服务"] in facets["kind"]["terms"]
    assert facets["talent"]["label"] == "人才服务类型" and facets["talent"]["terms"] == [["recruiting", "人才招聘"]]

    records = _run(talent, code=(
        "import json; from pathlib import Path; from generator.checks import validate; from generator import model;"
        "from generator.render import search; c = model.build(validate(Path('.')));"
        "print(json.dumps([r.__dict__ for r in search.records(c) if r.kind == '人才服务'], ensure_ascii=False))"))
    [record] = json.loads(records.stdout)
    assert record["title"] == "芯片设计人才对接服务"
    assert ["text", ["芯片设计验证工程师"]] in [[role, [v for v in values if "工程师" in v]] for role, values in record["found"]]

    feed = feedparser.parse((site / "feeds/resources.xml").read_bytes())
    assert any(e.title.endswith("芯片设计人才对接服务") or "芯片设计人才对接服务" in e.title for e in feed.entries)

    data = json.loads((site / "catalog.json").read_text("utf-8"))
    [entry] = [r for r in data["resources"] if r["kind"] == "talent"]
    assert entry["talent_type"] == "人才招聘" and entry["directions"] == "芯片设计验证工程师"
    rows = list(csv.DictReader(io.StringIO((site / "catalog.csv").read_text("utf-8-sig"))))
    assert any(r["kind"] == "talent" and r["title"] == "芯片设计人才对接服务" for r in rows)

    editor = json.loads((site / "schemas/resource.schema.json").read_text("utf-8"))
    assert "talent" in editor["properties"]["kind"]["enum"]
    [branch] = [b for b in editor["allOf"] if b["if"]["properties"]["kind"]["const"] == "talent"]
    assert branch["then"]["properties"]["talent_type"]["enum"] == ["人才招聘", "人才挂职"]

    share = site / "share" / "index.html"
    assert "芯片设计人才对接服务" in share.read_text("utf-8")


def test_a_new_kind_in_juli_new(talent):
    helped = _run(talent, "new", "resource", "talent", "--help")
    assert helped.returncode == 0 and "--talent-type" in helped.stdout and "人才服务的类型" in helped.stdout
    org = sorted(p.name for p in (talent / "catalog/organizations").iterdir())[0]
    made = _run(talent, "new", "resource", "talent", "--org", org, "--id", "new-talent", "--no-input",
                "--root", str(talent), "--talent-type", "人才挂职")
    assert made.returncode == 0, made.stderr
    made_file = talent / f"catalog/organizations/{org}/resources/new-talent.yml"
    text = made_file.read_text("utf-8")
    made_file.unlink()  # incomplete by design (no title yet): the copy stays buildable
    assert "kind: talent" in text and "talent_type: 人才挂职" in text
    assert "# 面向的人才方向，一行，如 芯片设计工程师（可选）" in text
