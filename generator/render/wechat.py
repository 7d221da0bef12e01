"""WeChat Official Account article HTML that survives pasting into the WeChat editor.

The editor keeps inline styles only, so the sanitized HTML of an entry (markup.markdown) is
re-expressed in `<section>`, `<p>` and `<span>` with `style` attributes: no classes, no `<style>`, no
scripts. Links are clickable there only to mp.weixin.qq.com, so every other link becomes a numbered
footnote listed at the end. Title (≤ 32) and digest (≤ 120) are cut between whole characters, and
every cut is reported so the editor can rewrite it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from urllib.parse import urlsplit

from . import markup
from .weibo import ELLIPSIS, atoms

TITLE_LIMIT = 32
DIGEST_LIMIT = 120
WECHAT_HOST = "mp.weixin.qq.com"

BODY = "margin:0 0 1em;line-height:1.75;font-size:15px;color:#333333;letter-spacing:0.5px;"
_STYLES = {
    "p": BODY,
    "heading": "margin:1.6em 0 0.8em;font-size:17px;font-weight:bold;line-height:1.5;color:{band};",
    "strong": "font-weight:bold;", "b": "font-weight:bold;", "em": "font-style:italic;", "i": "font-style:italic;",
    "del": "text-decoration:line-through;",
    "code": "font-family:Menlo,Consolas,monospace;font-size:14px;background-color:#f3f4f6;padding:0 3px;",
    "list": "margin:0 0 1em;",
    "li": "margin:0 0 0.5em;line-height:1.75;font-size:15px;color:#333333;padding-left:{indent}em;text-indent:-1.2em;",
    "blockquote": "margin:0 0 1em;padding:4px 0 4px 12px;border-left:3px solid #d0d7de;color:#666666;",
    "pre": "margin:0 0 1em;padding:12px;background-color:#f6f8fa;font-family:Menlo,Consolas,monospace;font-size:13px;line-height:1.6;color:#333333;",
    "table": "margin:0 0 1em;",
    "tr": "margin:0;padding:6px 0;border-bottom:1px solid #e5e7eb;font-size:14px;line-height:1.6;color:#333333;",
    "th": "font-weight:bold;",
    "hr": "margin:1.5em 0;border-top:1px solid #dddddd;height:0;",
    "note": "font-size:12px;color:#888888;",
}


def cut(text: str, limit: int) -> tuple[str, str]:
    """`text` within `limit` characters (… included when cut), and the part that was left out."""
    pieces = list(atoms(text))
    if sum(len(p) for p in pieces) <= limit:
        return text, ""
    kept, used = [], 0
    for piece in pieces:
        if used + len(piece) > limit - len(ELLIPSIS):
            break
        kept.append(piece)
        used += len(piece)
    head = "".join(kept).rstrip()
    return head + ELLIPSIS, text[len(head):].strip()


class Footnotes:
    """Numbers external links in order of first appearance; one URL keeps one number."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def number(self, url: str) -> int:
        if url not in self.urls:
            self.urls.append(url)
        return self.urls.index(url) + 1


def clickable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and parts.hostname == WECHAT_HOST


class _Converter(HTMLParser):
    """Sanitized HTML (markup.ALLOWED_TAGS) → the WeChat subset. Lists are flattened into paragraphs
    with their markers written out, since the editor drops list styling."""

    def __init__(self, footnotes: Footnotes, band: str):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.footnotes = footnotes
        self.band = band
        self.lists: list[list] = []  # [ordered, counter]
        self.open_li = False
        self.links: list[tuple[str, int]] = []  # open <a>: href and where its text starts
        self.in_pre = False
        self.cells = 0

    def _style(self, key: str, **kw) -> str:
        return _STYLES[key].format(band=self.band, **kw)

    def _close_li(self) -> None:
        if self.open_li:
            self.out.append("</p>")
            self.open_li = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "p":
            self.out.append(f'<p style="{self._style("p")}">')
        elif tag in ("h3", "h4", "h5", "h6"):
            self.out.append(f'<p style="{self._style("heading")}">')
        elif tag in ("strong", "b", "em", "i", "del") or (tag == "code" and not self.in_pre):
            self.out.append(f'<span style="{self._style(tag)}">')
        elif tag in ("ul", "ol"):
            self._close_li()
            self.lists.append([tag == "ol", 0])
            self.out.append(f'<section style="{self._style("list")}">')
        elif tag == "li":
            self._close_li()
            marker = "•"
            if self.lists:
                self.lists[-1][1] += 1
                marker = f"{self.lists[-1][1]}." if self.lists[-1][0] else "•"
            indent = 1.2 * max(1, len(self.lists))
            self.out.append(f'<p style="{self._style("li", indent=f"{indent:g}")}">{marker} ')
            self.open_li = True
        elif tag == "blockquote":
            self.out.append(f'<section style="{self._style("blockquote")}">')
        elif tag == "pre":
            self.in_pre = True
            self.out.append(f'<p style="{self._style("pre")}">')
        elif tag == "table":
            self.out.append(f'<section style="{self._style("table")}">')
        elif tag == "tr":
            self.cells = 0
            self.out.append(f'<p style="{self._style("tr")}">')
        elif tag in ("th", "td"):
            if self.cells:
                self.out.append(" | ")
            self.cells += 1
            self.out.append(f'<span style="{self._style("th")}">' if tag == "th" else "<span>")
        elif tag == "br":
            self.out.append("<br>")
        elif tag == "hr":
            self.out.append(f'<section style="{self._style("hr")}"><br></section>')
        elif tag == "a":
            href = a.get("href") or ""
            if clickable(href):
                self.out.append(f'<a href="{escape(href)}">')
            self.links.append((href, len(self.out)))

    def handle_endtag(self, tag):
        if tag in ("p", "h3", "h4", "h5", "h6", "tr"):
            self.out.append("</p>")
        elif tag == "pre":
            self.in_pre = False
            self.out.append("</p>")
        elif tag in ("strong", "b", "em", "i", "del", "th", "td") or (tag == "code" and not self.in_pre):
            self.out.append("</span>")
        elif tag == "li":
            self._close_li()
        elif tag in ("ul", "ol"):
            self._close_li()
            if self.lists:
                self.lists.pop()
            self.out.append("</section>")
        elif tag in ("blockquote", "table"):
            self.out.append("</section>")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            text = "".join(self.out[start:])
            target = href.removeprefix("mailto:")
            if clickable(href):
                self.out.append("</a>")
            elif target and target not in text:  # a link whose text already is its address needs no note
                self.out.append(f'<span style="{self._style("note")}">[{self.footnotes.number(target)}]</span>')

    def handle_data(self, data):
        if "\n" in data and not data.strip() and not self.in_pre:
            return  # the layout whitespace of the Markdown output between blocks and table cells
        if self.in_pre:
            self.out.append("<br>".join(escape(line) for line in data.split("\n")))
        else:
            self.out.append(escape(data))


def body_html(markdown_text: str, footnotes: Footnotes, band: str) -> str:
    """Contributed Markdown → sanitized HTML (markup.py) → the WeChat subset."""
    converter = _Converter(footnotes, band)
    converter.feed(markup.markdown(markdown_text))
    converter.close()
    converter._close_li()
    return "".join(converter.out)


@dataclass(frozen=True)
class Article:
    title: str
    digest: str
    html: str
    source_url: str
    warnings: tuple[str, ...]


def title_and_digest(title: str, summary: str) -> tuple[str, str, tuple[str, ...]]:
    """The article's title and digest within WeChat's limits, and a note for each cut."""
    warnings = []
    short_title, lost = cut(title, TITLE_LIMIT)
    if lost:
        warnings.append(f"标题超过 {TITLE_LIMIT} 字（原 {len(title)} 字），已截为“{short_title}”，删去了“{lost}”。请在公众号后台改写标题。")
    digest, lost = cut(summary, DIGEST_LIMIT)
    if lost:
        warnings.append(f"摘要超过 {DIGEST_LIMIT} 字（原 {len(summary)} 字），已截短，删去了“{lost}”。")
    return short_title, digest, tuple(warnings)
