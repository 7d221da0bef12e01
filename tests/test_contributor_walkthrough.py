"""A new contributor adds a service to a shipped organization, following the guide's example, and makes
the usual mistakes on the way: each one gets one message, at the right line, that says how to fix it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from projects import ROOT, copy_project
from generator.checks import validate

ORG = "bj-green-energy-association"
REL = f"catalog/organizations/{ORG}/services/pv-carbon-consulting.yml"


def guide_service_example() -> str:
    """The service example of docs/contributing/examples.md, adapted as the guide says."""
    text = (ROOT / "docs/contributing/examples.md").read_text("utf-8")
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", text, re.S) if "service.schema.json" in b)
    return (block.replace("id: ai-patent-navigation", "id: pv-carbon-consulting")
                 .replace("title: 人工智能专利导航服务", "title: 光伏企业碳足迹咨询")
                 .replace("fields: [人工智能]", "fields: [绿色能源与节能环保]")
                 .replace("ai-alliance.example.org", "green-assoc.example.org"))


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("walk"))


def attempt(project: Path, text: str) -> list:
    (project / REL).write_text(text, "utf-8")
    return [p for p in validate(project).problems if p.file == REL]


def test_first_try_from_the_guide_is_accepted(project):
    assert attempt(project, guide_service_example()) == []


MISTAKES = [
    # (what the contributor does, before, after, expected code, words the message must contain)
    ("full-width colon", "fee: 优惠", "fee\uff1a优惠", "JL103", ["全角冒号"]),
    ("tab indent", "  phone: 010-62880006", "\tphone: 010-62880006", "JL102", ["Tab"]),
    ("English term", "fee: 优惠", "fee: discount", "JL303", ["可选", "优惠"]),
    ("near-miss term", "audiences: [中小企业, 专精特新企业]", "audiences: [小微企业, 专精特新企业]", "JL303", ["中小企业"]),
    ("list typed with a Chinese comma", "delivery: [线上, 线下]", "delivery: [线上\uff0c线下]", "JL303", ["[线上, 线下]"]),
    ("missing field", "how_to_apply: 发送企业简介至服务邮箱，秘书处在 3 个工作日内联系企业确定服务方案。\n", "", "JL200",
     ["how_to_apply", "加一行"]),
    ("empty field", "fee: 优惠", "fee:", "JL202", ["还没有填写", "免费"]),
    ("slashes in a date", "published: 2025-06-01", "published: 2025/06/01", "JL204", ["YYYY-MM-DD"]),
    ("a day that does not exist", "updated: 2025-06-01", "updated: 2025-06-31", "JL308", ["2025-06-31"]),
    ("misspelt field", "summary:", "summery:", "JL201", ["summary"]),
    ("colon inside text", "fee_note: 会员单位八折", "fee_note: 说明: 会员单位八折", "JL105", ["引号"]),
    ("no space after colon", "fee: 优惠", "fee:优惠", "JL105", ["冒号后缺少空格"]),
]


@pytest.mark.parametrize("label,before,after,code,words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_every_mistake_says_how_to_fix_it(project, label, before, after, code, words):
    good = guide_service_example()
    assert before in good, label
    bad = good.replace(before, after, 1)
    found = attempt(project, bad)
    hits = [p for p in found if p.code == code]
    assert hits and len(found) <= 2, [(p.code, p.message) for p in found]
    first = hits[0]
    for word in words:
        assert word in first.message + first.fix, (label, first.message)
    assert first.fix  # every message comes with a fix
    if after:  # the message points at the line the contributor changed
        changed = next(i for i, (a, b) in enumerate(zip(good.splitlines(), bad.splitlines()), 1) if a != b)
        assert first.line == changed, (label, first.line, changed)
