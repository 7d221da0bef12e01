"""`juli new` writes templates that validate as written, and `juli schemas` keeps the editor schemas
in step with the taxonomy."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from projects import ROOT, copy_project
from generator.checks import validate
from generator.schemas.fields import resource_kinds

ORG = "bj-ai-industry-alliance"
COMMON = ["--published", "2025-03-01", "--updated", "2025-03-02", "--summary", "为企业提供测试用途的示例服务，帮助理解目录格式。"]
ENTRY = ["--capabilities", "协同推进技术创新", "--fields", "人工智能,集成电路"]
RESOURCE_FLAGS = {
    "standard": ["--number", "T/ZSA 99—2025", "--level", "团体标准", "--status", "发布"],
    "platform": ["--platform-type", "共性技术平台", "--offers", "算力调度,模型评测", "--url", "https://example.org/p"],
    "report": ["--year", "2025", "--document-url", "https://example.org/r.pdf"],
    "patent_pool": ["--scope", "人工智能芯片", "--patents", "120", "--licensing", "按 FRAND 原则许可，向秘书处申请。"],
    "event": ["--start", "2025-09-01 09:30", "--end", "2025-09-01 17:00", "--format", "论坛", "--place", "海淀区某某会议中心"],
    "facility": ["--facility-type", "检测设备", "--booking", "提前一周电话预约，按机时收费。"],
    "cooperation": ["--partner", "某国际协会", "--country", "新加坡", "--signed", "2025-05-01"],
    "journal": ["--issn", "1234-5678", "--frequency", "双月刊", "--language", "中文"],
}


def juli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *argv], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("scaffold"))


def problems_in(root: Path, rel: str) -> list:
    return [p for p in validate(root).problems if p.file == rel]


def cases():
    yield "service", [], [*COMMON, *ENTRY, "--title", "示例咨询服务", "--service-kinds", "信息咨询,知识产权",
                          "--audiences", "中小企业", "--delivery", "线上", "--fee", "免费",
                          "--how-to-apply", "发送邮件至秘书处预约。"], "services"
    for kind in resource_kinds():
        yield "resource", [kind], [*COMMON, "--title", f"示例{kind}资源", *RESOURCE_FLAGS[kind]], "resources"
    yield "case", [], ["--title", "示例案例：帮助企业降本", "--date", "2025-06-01", "--fields", "人工智能",
                       "--capabilities", "搭建科技服务平台", "--summary", "联盟帮助企业降低研发成本的示例案例，用于测试模板。",
                       "--problem", "企业缺少算力资源，研发成本高。", "--approach", "联盟组织供需对接，提供一站式辅导。",
                       "--effects", "服务企业 12 家，平均降低成本三成。"], None


@pytest.mark.parametrize("what,extra,flags,folder", list(cases()), ids=lambda v: v if isinstance(v, str) else None)
def test_template_with_every_required_flag_validates_immediately(project, what, extra, flags, folder):
    ident = f"new-{what}-{extra[0] if extra else 'x'}".replace("_", "-")
    run = juli("new", what, *extra, "--org", ORG, "--id", ident, "--root", str(project), *flags)
    assert run.returncode == 0, run.stdout + run.stderr
    rel = f"catalog/organizations/{ORG}/{folder}/{ident}.yml" if folder else f"cases/{ORG}/{ident}.yml"
    assert (project / rel).is_file()
    assert problems_in(project, rel) == []
    assert "已经通过校验" in run.stdout
    header = (project / rel).read_text("utf-8").splitlines()[0]
    schema_path = header.removeprefix("# yaml-language-server: $schema=")
    assert header != schema_path
    assert (project / rel).parent.joinpath(schema_path).resolve() == (project / "schemas" / f"{what}.schema.json").resolve()


def test_new_organization_validates_with_flags(project):
    rel = "catalog/organizations/new-test-assoc/organization.yml"
    run = juli("new", "organization", "--root", str(project), "--id", "new-test-assoc", "--name", "北京示例测试协会",
               "--short-name", "示例测协", "--type", "要素类", "--uscc", "51100000500009247D",
               "--registered-by", "北京市民政局", "--founded", "2020-01-15", "--fields", "科技服务业",
               "--summary", "一家用于测试模板的虚构科技社会组织，提供标准服务。", "--maintainers", "new-bot,zhang-san")
    assert run.returncode == 0, run.stderr
    assert problems_in(project, rel) == []


def test_template_without_values_says_what_to_fill(project):
    rel = f"catalog/organizations/{ORG}/services/half-done.yml"
    run = juli("new", "service", "--org", ORG, "--id", "half-done", "--root", str(project))
    assert run.returncode == 0
    text = (project / rel).read_text("utf-8")
    assert "fee:  # ← 请填写" in text
    assert "# 可选：免费、公益、优惠、收费、面议" in text
    found = problems_in(project, rel)
    assert {p.path for p in found} == {"title", "service_kinds", "capabilities", "fields", "audiences", "delivery",
                                        "fee", "summary", "how_to_apply"}
    assert all("还没有填写" in p.message for p in found)
    # filling in the blanks as the comments say makes it valid
    for key, value in {"title": "半成品服务", "service_kinds": "[信息咨询]", "capabilities": "[协同推进技术创新]",
                       "fields": "[人工智能]", "audiences": "[中小企业]", "delivery": "[线上]", "fee": "免费",
                       "summary": "填好空白后应当通过校验的服务示例。", "how_to_apply": "发送邮件预约。"}.items():
        text = text.replace(f"{key}:  # ← 请填写", f"{key}: {value}")
    (project / rel).write_text(text, "utf-8")
    assert problems_in(project, rel) == []


def test_refuses_wrong_terms_unknown_org_and_existing_files(project):
    run = juli("new", "service", "--org", ORG, "--id", "bad-fee", "--root", str(project), "--fee", "free")
    assert run.returncode == 2 and "不在词表中" in run.stderr and "免费" in run.stderr
    run = juli("new", "service", "--org", "no-such-org", "--id", "x1", "--root", str(project))
    assert run.returncode == 2 and "没有组织" in run.stderr
    run = juli("new", "service", "--org", ORG, "--id", "ai-going-global", "--root", str(project))
    assert run.returncode == 1 and "已经存在" in run.stderr


def test_committed_editor_schemas_are_up_to_date():
    run = juli("schemas", "--check", "--root", str(ROOT))
    assert run.returncode == 0, run.stderr


def test_schemas_check_fails_when_the_taxonomy_changes(tmp_path):
    root = copy_project(tmp_path / "p")
    assert juli("schemas", "--root", str(root)).returncode == 0
    assert juli("schemas", "--check", "--root", str(root)).returncode == 0
    taxonomy = root / "catalog/taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text("utf-8").replace(
        "  - {id: free, name: 免费, en: Free}\n", "  - {id: free, name: 免费, en: Free}\n  - {id: trial, name: 试用, en: Trial}\n"), "utf-8")
    run = juli("schemas", "--check", "--root", str(root))
    assert run.returncode == 1 and "juli schemas" in run.stderr
    assert juli("schemas", "--root", str(root)).returncode == 0
    fee = json.loads((root / "schemas/service.schema.json").read_text("utf-8"))["properties"]["fee"]
    assert fee["enum"][:2] == ["免费", "试用"]


def test_editor_schemas_accept_every_shipped_file_and_reject_unknown_terms():
    result = validate(ROOT)
    assert result.documents
    for source, doc in result.documents:
        schema = json.loads((ROOT / "schemas" / f"{source.kind}.schema.json").read_text("utf-8"))
        errors = list(Draft202012Validator(schema).iter_errors(doc.data))
        assert errors == [], source.rel
    schema = json.loads((ROOT / "schemas/service.schema.json").read_text("utf-8"))
    service = next(d.data for s, d in result.documents if s.kind == "service")
    assert not Draft202012Validator(schema).is_valid({**service, "fields": ["not-a-field"]})
    assert not Draft202012Validator(schema).is_valid({**service, "fee": "free"})


def test_interactive_questions_on_a_terminal(tmp_path):
    """On a terminal, `juli new` asks for what flags did not give, re-asks on a wrong term, and the
    answers make a valid file."""
    import os
    import pty
    import select
    import time

    root = copy_project(tmp_path / "p")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "new", "resource", "event", "--org", ORG,
                             "--root", str(root), "--today", "2026-01-05"],
                            stdin=slave, stdout=slave, stderr=slave, close_fds=True, cwd=ROOT)
    os.close(slave)
    answers = ["ai-salon-2026", "人工智能应用沙龙", "面向会员企业的人工智能应用沙龙，交流落地经验。",
               "2026-02-01 14:00", "2026-02-01 17:00", "沙龙", "2", "n", "海淀区某某创新中心"]
    output = b""

    def read_until(marker: bytes, seconds: float = 20) -> None:
        nonlocal output
        deadline = time.monotonic() + seconds
        while marker not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    return

    read_until("标识".encode())
    for answer in answers:
        os.write(master, (answer + "\n").encode())
        read_until(answer.encode()[-6:])
    read_until("校验".encode())
    assert proc.wait(timeout=30) == 0
    text = output.decode("utf-8", "replace")
    assert "`沙龙` 不在词表中" in text  # a wrong term is refused and asked again
    rel = f"catalog/organizations/{ORG}/resources/ai-salon-2026.yml"
    assert problems_in(root, rel) == []
    written = (root / rel).read_text("utf-8")
    assert "format: 行业交流" in written and "online: false" in written and "place: 海淀区某某创新中心" in written
