"""Contributed text to safe HTML. Markdown may format; raw HTML, scripts, event handlers and
`javascript:` links never reach a page, a feed or an export rendered as HTML."""

from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

import markdown as _markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "blockquote", "code", "pre",
                "h3", "h4", "h5", "h6", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "del"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
_MD = _markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


@lru_cache(maxsize=4096)
def markdown(text: str) -> str:
    """Markdown → sanitized HTML. Headings are shifted below the page's own h1/h2."""
    text = text or ""
    shortcut = _simple(text)
    if shortcut is not None:
        return shortcut
    _MD.reset()
    html = _MD.convert(_join_cjk_lines(_escape_raw_html(text or "")))
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return clean(html)


# Text with none of these is paragraphs and tight "- " lists and nothing else to Python-Markdown (with our
# extensions) and to the sanitizer: inline syntax and characters that HTML escapes anywhere (the sanitizer
# writes a no-break space as `&nbsp;`); at a line's start, what opens a block (heading, quote, list, rule,
# setext underline, code indent); control characters (Markdown's own placeholders) and trailing spaces (a
# hard break). Most contributed text is like that, and converting it through Python-Markdown took half of
# the page renderer's time at 10,000 entries. tests/test_markup.py checks the shortcut against the real
# conversion, on generated text and on every text of the sample.
_SYNTAX = re.compile(r"[\\`*_\[\]<>&!#|~\x00-\x09\x0b-\x1f\x7f\xa0]|^[ #>+=*-]|^\d+[.)]| $", re.M)
_BLANK_LINES = re.compile(r"\n(?: *\n)+")
_ITEM = re.compile(r"^- ", re.M)


def _simple(text: str) -> str | None:
    """What `markdown(text)` returns, for paragraphs and tight lists of one-line "- " items whose text has
    no Markdown syntax (see `_SYNTAX`); otherwise None. A list is a block of item lines only, so a line
    that would continue an item (or start one inside a paragraph) declines, and so do two lists with only
    blank lines between them, which Python-Markdown joins into one loose list."""
    text = _join_cjk_lines(text)
    if _SYNTAX.search(_ITEM.sub("", text)):
        return None
    html, after_list = [], False
    for block in filter(None, _BLANK_LINES.split(text.strip("\n"))):
        if not block.startswith("- "):
            if _ITEM.search(block):
                return None
            html.append(f"<p>{block}</p>")
            after_list = False
            continue
        items = block.split("\n")
        if after_list or not all(item.startswith("- ") and len(item) > 2 for item in items):
            return None
        html.append("<ul>\n" + "".join(f"<li>{item[2:]}</li>\n" for item in items) + "</ul>")
        after_list = True
    return "\n".join(html)


def clean(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes={"http", "https", "mailto"},
                     link_rel="noopener noreferrer nofollow")


_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_CJK_BREAK = re.compile(f"([{_CJK}][,.;:!?]?)\n(?=[{_CJK}])")


def _join_cjk_lines(text: str) -> str:
    """A line break inside a Chinese paragraph is not a space: browsers would show one (`困难, 与`)."""
    return _CJK_BREAK.sub(r"\1", text)


def _escape_raw_html(text: str) -> str:
    """Contributors write Markdown, not HTML: show any `<tag>` they type as text."""
    return text.replace("<", "&lt;")


# Characters XML 1.0 forbids. Contributed text can only carry them as character references (`&#x1;`),
# which a page shows as written but unescaping turns into the characters themselves: lxml then refuses the
# feed that holds them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """Markdown → one line of plain text (for summaries, feeds and share texts)."""
    html = markdown(text)
    return " ".join(_NOT_XML.sub("", unescape(nh3.clean(html, tags=set()))).split())
