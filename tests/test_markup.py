"""Contributed Markdown to HTML: formatting kept, anything executable dropped, Chinese lines joined."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from generator.render import markup
from generator.render.markup import markdown, plain
from projects import ROOT


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    '<a href="javascript:alert(1)">点我</a>',
    "<iframe src=https://evil.example></iframe>",
    '<svg onload="alert(1)">',
])
def test_nothing_executable_survives(hostile):
    elements = _elements(markdown(f"介绍\n\n{hostile}\n"))
    assert not {tag for tag, _ in elements} & {"script", "iframe", "svg", "img", "object", "embed"}
    for tag, attrs in elements:
        assert not [name for name, _ in attrs if name.startswith("on")], (tag, attrs)
        assert not [v for name, v in attrs if name == "href" and not (v or "").startswith(("http", "mailto:"))]


def _elements(html: str) -> list[tuple[str, list]]:
    found: list[tuple[str, list]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(html)
    return found


def test_formatting_is_kept():
    html = markdown("## 小标题\n\n- **加粗**\n- [链接](https://example.org/)\n\n> 引用")
    assert "<h3>小标题</h3>" in html and "<strong>加粗</strong>" in html and "<blockquote>" in html
    assert 'href="https://example.org/"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_line_breaks_inside_chinese_paragraphs_are_not_spaces():
    html = markdown("企业不熟悉政策,\n申领材料准备困难\uff0c\n议价能力弱。\nEnglish\nline")
    assert "企业不熟悉政策,申领材料准备困难\uff0c议价能力弱。" in html
    assert "English\nline" in html


def test_plain_text_for_feeds_and_share_texts():
    assert plain("# 标题\n\n**加粗** 与 [链接](https://example.org/) <b>x</b>") == "标题 加粗 与 链接 <b>x</b>"


def _converted(text: str) -> str:
    """`markdown(text)` the long way: always through Python-Markdown and the sanitizer."""
    markup._MD.reset()
    html = markup._MD.convert(markup._join_cjk_lines(markup._escape_raw_html(text)))
    for old, new in (("<h1>", "<h3>"), ("</h1>", "</h3>"), ("<h2>", "<h3>"), ("</h2>", "</h3>")):
        html = html.replace(old, new)
    return markup.clean(html)


PIECES = st.sampled_from([*"检测服务企业,。:;“”()、ab1.-:\"'()=+/?%$@^{}\xa0", " ", "\n", "\n\n", "  \n", "\t",
                          "1. ", "2) ", "- ", "\n- ", "\n\n- ", "* ", "# ", "> ", "===", "---", "    ", "**", "_", "[a](b)",
                          "<b>", "&amp;"])


@settings(max_examples=3000, suppress_health_check=list(HealthCheck), deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_the_shortcut_is_what_python_markdown_makes(text):
    """The shortcut for paragraphs and simple lists answers exactly as the real conversion, or declines."""
    shortcut = markup._simple(text)
    assert shortcut is None or shortcut == _converted(text)


@pytest.mark.parametrize("text, taken", [
    ("甲\n\n- 乙；\n- 丙\n\n丁", True),
    ("- 甲\n- 乙", True),
    ("\n\n- 甲，\n乙\n\n", True),  # the Chinese line join makes it one item, before Markdown as after
    ("- 甲,\n- 乙\n\n\n\n丙", True),
    ("- 甲\n\n- 乙", False),  # a loose list: items in paragraphs
    ("- 甲\n\n丙\n\n- 乙", True),
    ("甲\n- 乙", False),  # no list inside a paragraph
    ("- a\nb", False),  # a lazy continuation line
    ("- 甲\n  乙", False),
    ("- 甲\n- ", False),  # a setext heading
    ("- 甲\n-", False),
    ("- 甲\n---", False),
    ("- - 甲", False),
    ("- 1. 甲", False),
    ("- 甲\n+ 乙", False),
    ("- 甲\n\n    乙", False),
    ("- **甲**", False),
    ("- <b>甲</b>", False),
    ("甲\xa0乙", False),  # the sanitizer writes &nbsp;
    ("", True),
])
def test_the_shortcut_on_lists_and_edge_cases(text, taken):
    """Lists the shortcut takes, and the look-alikes Python-Markdown reads otherwise, which it declines."""
    shortcut = markup._simple(text)
    assert (shortcut is not None) == taken
    assert markdown(text) == _converted(text)


def test_the_shortcut_on_every_text_of_the_sample_catalog():
    texts = []
    for path in sorted((ROOT / "catalog").rglob("*.yml")) + sorted((ROOT / "cases").rglob("*.yml")):
        stack = [yaml.safe_load(path.read_text("utf-8"))]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack += value.values()
            elif isinstance(value, list):
                stack += value
            elif isinstance(value, str) and len(value) > 20:
                texts.append(value)
    taken = [t for t in texts if markup._simple(t) is not None]
    assert len(taken) > len(texts) // 2  # the shortcut is the common case
    for text in texts:
        assert markdown(text) == _converted(text), text


def test_plain_text_holds_no_character_xml_forbids():
    """Found by the property test in test_build_accepts: a summary of `&#0; &#x1;` stopped the RSS feed."""
    assert plain("检测 &amp; &#0; &#x1;&#x1f; 标准") == "检测 & \ufffd 标准"
