"""A small, valid catalog written to disk, for tests that break one thing and read what the validator says."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from generator.checks import validate

ROOT = Path(__file__).resolve().parent.parent

PROGRAMME = """\
schema_version: 1
site:
  title: 测试目录
  base_url: https://test.example.org/
  host: 测试主办单位
  contact: test@example.org
targets:
  year: 2025
  organizations: 100
key_organizations: [test-org]
integrity:
  test-org: {status: 良好, checked: 2025-01-01}
"""

ORGANIZATION = """\
schema_version: 1
id: test-org
name: 测试科技协会（示例）
short_name: 测试协会
type: 要素类
uscc: 51110108MJ0012342G
registered_by: 北京市海淀区民政局
founded: 2019-05-20
fields: [科技服务业]
parks: [海淀园]
summary: 这是一家用于测试校验器的虚构科技社会组织，提供标准和知识产权服务。
maintainers: [test-bot]
"""

SERVICE = """\
schema_version: 1
id: ip-consulting
title: 知识产权咨询
service_kinds: [知识产权]
capabilities: [协同推进技术创新]
fields: [科技服务业]
audiences: [中小企业]
delivery: [线上]
fee: 免费
summary: 为中小企业提供专利布局和知识产权管理咨询服务。
how_to_apply: 发送邮件预约。
published: 2025-01-10
updated: 2025-02-01
"""

STANDARD = """\
schema_version: 1
id: group-standard
kind: standard
title: 科技服务机构服务规范
number: T/TEST 1—2024
level: 团体标准
status: 实施
summary: 规定科技服务机构的服务内容、流程和评价方法。
published: 2024-05-01
updated: 2024-05-01
"""

CASE = """\
schema_version: 1
id: ip-case
title: 知识产权咨询帮助企业完成专利布局
date: 2025-03-01
organizations: [test-org]
fields: [科技服务业]
capabilities: [协同推进技术创新]
summary: 协会为 20 家企业提供专利布局咨询，帮助企业形成专利组合。
problem: 企业缺少专利布局经验，核心技术保护不足。
approach: 协会组织专家逐一走访企业，制定专利布局方案。
effects: 20 家企业共新增专利申请 86 件，形成 5 个专利组合。
services: [ip-consulting]
resources: [test-org/group-standard]
"""


EVENT = """\
schema_version: 1
id: forum
kind: event
title: 科技服务论坛
format: 论坛
start: {start}
end: {end}
{where}
summary: 面向会员企业的科技服务论坛，交流服务经验。
published: 2025-03-01
updated: 2025-03-01
"""
EVENT_PATH = "catalog/organizations/test-org/resources/forum.yml"


class CatalogKit:
    """Writes the valid mini catalog under `root`; `write` replaces one file; `problems()` validates."""

    def __init__(self, root: Path):
        self.root = root
        org = root / "catalog/organizations/test-org"
        (org / "services").mkdir(parents=True)
        (org / "resources").mkdir()
        (root / "cases/test-org").mkdir(parents=True)
        shutil.copy(ROOT / "catalog/taxonomy.yml", root / "catalog/taxonomy.yml")
        self.write("catalog/programme.yml", PROGRAMME)
        self.write("catalog/organizations/test-org/organization.yml", ORGANIZATION)
        self.write("catalog/organizations/test-org/services/ip-consulting.yml", SERVICE)
        self.write("catalog/organizations/test-org/resources/group-standard.yml", STANDARD)
        self.write("cases/test-org/ip-case.yml", CASE)

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def event(self, start: str, end: str, where: str = "online: true") -> Path:
        """Adds the event `test-org/forum` (`where` is its `online:`/`place:` line, or empty)."""
        return self.write(EVENT_PATH, EVENT.format(start=start, end=end, where=where))

    def append(self, rel: str, text: str) -> Path:
        """Adds lines at the end of a file: how most tests add the one field they break."""
        return self.write(rel, self.read(rel) + text)

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def problems(self):
        return validate(self.root).problems

    def cli(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "generator", "validate", "--root", str(self.root), *args],
                              capture_output=True, text=True, cwd=self.root)

    def cli_json(self, *args: str) -> list[dict]:
        return json.loads(self.cli("--format", "json", *args).stdout)
