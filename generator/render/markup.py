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
    _MD.reset()
    html = _MD.convert(_join_cjk_lines(_escape_raw_html(text or "")))
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return clean(html)


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


@lru_cache(maxsize=65536)
def plain(text: str) -> str:
    """Markdown → one line of plain text (for summaries, feeds and share texts)."""
    html = markdown(text)
    return " ".join(unescape(nh3.clean(html, tags=set())).split())
