"""The content editor's generated parts and the office's tools that came with it: the Decap configuration
follows the schemas and the taxonomy, the vendored bundle is the pinned npm package's, the form's rules
are the validator's; taxonomy aliases keep renamed terms valid; office staff's own accounts count as the
office; pages link to the editor's form for their file."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from generator import model, schemas
from generator.render import editor_config as editor
from generator.model import urls
from generator.checks import codes, validate
from projects import ROOT, copy_project

VOCABULARIES = {name: [t["name"] for t in terms] for name, terms in
                yaml.safe_load((ROOT / "catalog/taxonomy.yml").read_text("utf-8")).items() if isinstance(terms, list)}


@pytest.fixture(scope="module")
def config() -> dict:
    cfg = editor.config(VOCABULARIES, {"standard": "标准"}, {"backend": "gitea", "repo": "office/juli",
                        "host": "https://git.example.org", "app_id": "abc"}, "https://juli.example.org/")
    return yaml.safe_load(editor.config_yaml(cfg))


def fields_of(config: dict, name: str) -> dict[str, dict]:
    collection = next(c for c in config["collections"] if c["name"] == name)
    return {f["name"]: f for f in collection["fields"]}


def test_a_collection_per_kind_and_resource_kind(config):
    names = [c["name"] for c in config["collections"]]
    assert names[:2] == ["organization", "service"] and "case" in names and "figures" in names
    assert {f"resource-{k.replace('_', '-')}" for k in editor.RESOURCE_KINDS} <= set(names)
    service = next(c for c in config["collections"] if c["name"] == "service")
    assert service["folder"] == "catalog/organizations" and service["path"] == "{{_org}}/services/{{slug}}"
    assert service["format"] == "juli-yaml" and service["filter"] == {"field": "_shape", "value": "service"}


def test_fields_follow_the_schema(config):
    schema = schemas.load("service")
    fields = fields_of(config, "service")
    assert set(fields) - {"_org"} == set(schema["properties"])
    assert {n for n, f in fields.items() if f.get("required")} == set(schema["required"]) - {"schema_version"}
    assert fields["fee"]["widget"] == "select" and fields["fee"]["options"] == VOCABULARIES["fees"]
    assert fields["fee"]["multiple"] is False
    assert fields["audiences"]["multiple"] is True and fields["audiences"]["min"] == 1
    assert fields["published"]["widget"] == "datetime" and fields["published"]["time_format"] is False
    # length limits folded into the pattern, which JavaScript and Python read alike
    title = re.compile(fields["title"]["pattern"][0])
    assert title.search("无人机检测") and not title.search("无") and not title.search("标" * 81)
    standard = fields_of(config, "resource-standard")
    assert standard["kind"] == {"name": "kind", "label": "资源类型", "widget": "hidden", "default": "standard"}
    assert standard["number"]["widget"] == "juli-checked" and standard["number"]["required"] is True
    assert fields_of(config, "organization")["uscc"]["check"] == "uscc"
    assert fields_of(config, "organization")["logo"]["widget"] == "image"


def test_labels_from_titles_and_help_from_descriptions(monkeypatch):
    service = json.loads(json.dumps(schemas.load("service")))
    service["properties"]["fee"]["title"] = "收费方式"
    monkeypatch.setattr(schemas, "load", lambda name, _orig=schemas.load: service if name == "service" else _orig(name))
    fields = fields_of({"collections": editor.collections(VOCABULARIES, {})}, "service")
    assert fields["fee"]["label"] == "收费方式"
    assert fields["fee"]["hint"] == service["properties"]["fee"]["description"]
    assert fields["published"]["label"] == service["properties"]["published"]["title"] != "日期"  # its own title, not the shared definition's


def test_backends(config):
    assert config["backend"] == {**config["backend"], "name": "gitea", "repo": "office/juli", "auth_type": "pkce",
                                 "app_id": "abc", "api_root": "https://git.example.org/api/v1", "open_authoring": True}
    github = editor.backend({"backend": "github", "repo": "o/r", "auth_proxy": "https://auth.example.org/"})
    assert github["base_url"] == "https://auth.example.org" and "api_root" not in github
    assert config["publish_mode"] == "editorial_workflow" and config["locale"] == "zh_Hans"
    assert config["local_backend"]["url"] == f"http://127.0.0.1:{editor.LOCAL_PORT}/api/v1"


def test_form_rules_are_the_validators():
    text = editor.checks_js([{"name": "团体标准", "pattern": "^T/", "example": "T/ZSA 12—2021"}]).decode()
    rules = json.loads(text[text.index("{"):text.rindex("}") + 1])
    assert rules["usccWeights"] == list(codes.USCC_WEIGHTS) and rules["usccAlphabet"] == codes.USCC_ALPHABET
    assert rules["socialOrgPrefixes"] == list(codes.SOCIAL_ORG_PREFIXES)
    assert rules["anyOf"]["contact"] == ["phone", "email", "address"]
    assert rules["standardLevels"] == [{"name": "团体标准", "pattern": "^T/", "example": "T/ZSA 12—2021"}]


def test_vendored_editor_is_the_pinned_package():
    """tools/vendor-editor.sh copied exactly the files of the versions package.json pins."""
    pins = json.loads((ROOT / "package.json").read_text("utf-8"))["dependencies"]
    versions = (editor.VENDOR / "VERSIONS").read_text("utf-8").split()
    assert versions == [f"decap-cms@{pins['decap-cms']}", f"js-yaml@{pins['js-yaml']}"]
    dist = ROOT / "node_modules/decap-cms/dist"
    if not dist.is_dir():
        pytest.fail("node_modules is missing: run `npm ci` (make test does)", pytrace=False)
    for name, data in editor.admin_files():
        source = dist / name if name != "js-yaml.min.js" else ROOT / "node_modules/js-yaml/dist/js-yaml.min.js"
        if (editor.VENDOR / name).is_file():
            assert source.read_bytes() == data, name
    assert {n for n, _ in editor.admin_files()} >= {"index.html", "juli-editor.js", "decap-cms.js", "js-yaml.min.js"}


def test_aliases_keep_renamed_terms(tmp_path):
    root = copy_project(tmp_path / "p")
    taxonomy = root / "catalog/taxonomy.yml"
    text = taxonomy.read_text("utf-8")
    taxonomy.write_text(text.replace("{id: testing, name: 检验检测, en: Testing and inspection}",
                                     "{id: testing, name: 检验检测认证, aliases: [检验检测], en: Testing and inspection}"), "utf-8")
    validation = validate(root)
    assert validation.ok, [p for p in validation.problems if p.level.value == "error"]
    warned = [p for p in validation.problems if p.code == "JL340"]
    assert warned and all("检验检测认证" in p.message for p in warned)
    catalog = model.build(validation)
    term = catalog.taxonomy.by_name("service_kinds", "检验检测")
    assert (term.id, term.name) == ("testing", "检验检测认证")  # filter URLs and figures keys keep the id

    taxonomy.write_text(taxonomy.read_text("utf-8").replace("aliases: [检验检测]", "aliases: [法律]"), "utf-8")
    assert any(p.code == "JL320" and "法律" in p.message for p in validate(root).problems)


def test_office_members_own_accounts(tmp_path):
    root = copy_project(tmp_path / "p")
    run = lambda author: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "generator", "check-changes", "--author", author, "--root", str(root),
         "catalog/taxonomy.yml"], capture_output=True, text=True, cwd=ROOT)
    members = yaml.safe_load((root / "catalog/programme.yml").read_text("utf-8"))["office"]["members"]
    assert run(members[0]).returncode == 0
    assert run("someone-else").returncode == 1


def test_edit_links(tmp_path):
    validation = validate(copy_project(tmp_path / "p"))
    catalog = model.build(validation)
    service = catalog.services[0]
    assert catalog.programme.editor is not None
    here = urls.page(service)
    href = urls.edit_href(here, service, catalog.programme)
    assert href == "../../../admin/#/collections/service/entries/" + service.source.removeprefix(
        "catalog/organizations/").removesuffix(".yml")
    case = catalog.cases[0]
    assert urls.edit(case, catalog.programme) == f"admin/#/collections/case/entries/{case.org}/{case.id}"
    org = catalog.organizations[0]
    assert urls.edit(org, catalog.programme).endswith(f"/entries/{org.id}/organization")
    without = model.Programme(**{**catalog.programme.__dict__, "editor": None})
    assert urls.edit(service, without) == f"{catalog.programme.site.repository}/edit/main/{service.source}"


def test_pinyin_table_is_pypinyins():
    table = editor.pinyin_table()
    reading = {c: s for s, chars in table.items() for c in chars}
    assert [reading[c] for c in "无人机检测"] == ["wu", "ren", "ji", "jian", "ce"]
    assert len(reading) == 6763  # every GB 2312 character


@pytest.mark.slow
def test_editor_published_only_on_its_page(built_site):
    site = built_site.site
    admin = site / "admin"
    assert (admin / "index.html").is_file() and (admin / "decap-cms.js").is_file()
    config = yaml.safe_load((admin / "config.yml").read_text("utf-8"))
    assert config["backend"]["repo"] == "example/juli" and config["backend"]["open_authoring"] is True
    for page in site.rglob("*.html"):
        if admin not in page.parents:
            text = page.read_text("utf-8")
            assert "decap-cms" not in text and "juli-editor.js" not in text, page
    entry = (site / "directory/bj-ai-industry-alliance/ai-going-global/index.html").read_text("utf-8")
    assert ('href="../../../admin/#/collections/service/entries/bj-ai-industry-alliance/services/ai-going-global"'
            in entry) and "修改此条目 / 纠错" in entry
    assert "catalog/organizations/" not in entry.split("修改此条目")[0].rsplit("<main", 1)[-1]


def test_juli_edit_names_a_busy_port(tmp_path):
    import socket

    root = copy_project(tmp_path / "p")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for option in ("--backend-port", "--port"):
            run = subprocess.run([sys.executable, "-m", "generator", "edit", "--root", str(root), option, str(port)],
                                 capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert run.returncode == 2
            assert f"端口 {port} 已被占用" in run.stderr and option in run.stderr
            assert "Traceback" not in run.stderr + run.stdout
    run = subprocess.run([sys.executable, "-m", "generator", "edit", "--root", str(tmp_path)],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert run.returncode == 2 and "catalog/" in run.stderr and "Traceback" not in run.stderr
