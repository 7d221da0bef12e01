"""Our own Chinese text uses full-width punctuation (，：；（）): the templates, the hand-written docs, the
sample data and the messages of our scripts and workflows, linted with autocorrect plus the rules autocorrect leaves out (generator/checks/punctuation.py,
the same check contributors get as warning JL380)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks.punctuation import differences, fix, fix_json, fix_markdown, fix_markup, fix_python, fix_yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {
    "generator/templates": ("*.html", fix_markup),
    "generator": ("*.py", fix_python),  # messages, labels and page text written in code
    "generator/schemas": ("*.json", fix_json),  # field names and help, shown on the fields page, in `juli new` and the editor
    "overrides": ("*.html", fix_markup),
    "docs": ("*.md", fix_markdown),
    "catalog": ("*.yml", fix_yaml),
    "cases": ("*.yml", fix_yaml),
    "tools": ("*.sh", lambda text: "\n".join(fix(line) for line in text.split("\n"))),  # messages to the office
    ".github/workflows": ("*.yml", fix_yaml),  # step names shown in the pull request's checks
}


def _files():
    for folder, (pattern, fixer) in SOURCES.items():
        for path in sorted((ROOT / folder).rglob(pattern)):
            if path == ROOT / "docs" / "policy.md":  # the official document, reproduced verbatim
                continue
            yield pytest.param(path, fixer, id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("path, fixer", list(_files()))
def test_our_chinese_text_uses_full_width_punctuation(path, fixer):
    text = path.read_text("utf-8")
    wrong = [(n, a.strip(), b.strip()) for n, (a, b) in enumerate(zip(text.splitlines(), fixer(text).splitlines()), 1)
             if a != b]
    assert not wrong, "\n".join(f"{path.relative_to(ROOT)}:{n}:\n  {a}\n→ {b}" for n, a, b in wrong[:10])


@pytest.mark.parametrize("text, fixed", [
    ("提供方:京智联盟(示例),请联系。", "提供方：京智联盟（示例），请联系。"),
    ("活动(.ics)文件;添加到手机日历", "活动（.ics）文件；添加到手机日历"),
    ("平均降低成本 31%,其中 5 家", "平均降低成本 31%，其中 5 家"),
    ("时间:2025-01-01", "时间：2025-01-01"),
    ("网址:https://example.org/a,b", "网址：https://example.org/a,b"),
    ("见[说明](https://x.y/(a)),谢谢", "见[说明](https://x.y/(a))，谢谢"),
    ("用`a,b`分隔", "用`a,b`分隔"),
    ("Hello (world), ok: 1", "Hello (world), ok: 1"),
    ("共 93 项，第 1/2 页", "共 93 项，第 1/2 页"),
])
def test_fix(text, fixed):
    assert fix(text) == fixed
    assert bool(differences(text)) == (text != fixed)


def test_yaml_keys_and_flow_collections_keep_their_syntax():
    source = 'title: 检测(示例)\ntags: [成果转化, 创新药]\nfigures:\n  - {label: 成本降低, value: 31, unit: "%"}\n'
    assert fix_yaml(source) == source.replace("检测(示例)", "检测（示例）")


def test_python_strings_are_fixed_but_not_docstrings_patterns_or_fields():
    source = ('"""模块说明(示例),English."""\n'
              'MESSAGE = f"共 {n} 项,见{where}(示例):第{x:>3}行"\n'
              'PATTERN = r"[,，](示例)"\n'
              'LABEL = {"a": "类型:{kind}"}\n')
    assert fix_python(source) == ('"""模块说明(示例),English."""\n'
                                  'MESSAGE = f"共 {n} 项，见{where}（示例）：第{x:>3}行"\n'
                                  'PATTERN = r"[,，](示例)"\n'
                                  'LABEL = {"a": "类型：{kind}"}\n')


def test_templates_keep_markup_and_scripts():
    source = '<p title="a,b">说明:{{ x(1, 2) }}</p><script>var a = "中文,字";</script>'
    assert fix_markup(source) == source.replace("说明:", "说明：")
