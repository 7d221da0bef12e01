"""Weibo post texts, counted the way Weibo counts them.

Weibo counts half-units: U+0000–U+00FF one, other BMP characters (Chinese) two, characters beyond the
BMP (emoji) four, and any URL a fixed twenty; a post's length is ceil(half-units / 2). Texts are cut
between whole units only: never inside a URL, a surrogate pair or an emoji sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import regex

SHORT_LIMIT = 140
LONG_LIMIT = 2000
URL_UNITS = 20
ELLIPSIS = "…"
URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+")


def char_units(ch: str) -> int:
    code = ord(ch)
    return 1 if code <= 0xFF else 2 if code <= 0xFFFF else 4


def units(text: str) -> int:
    """Half-units of `text` by Weibo's rules. A URL counts a fixed number, every other character by
    its code point alone (grapheme clusters only matter for cutting), so this counts in C, not per atom."""
    count = 0
    position = 0
    for match in URL.finditer(text):
        count += _chars_units(text[position:match.start()]) + URL_UNITS
        position = match.end()
    return count + _chars_units(text[position:])


_NOT_LATIN1 = re.compile(r"[^\x00-\xff]+")


def _chars_units(text: str) -> int:
    """Σ char_units, counted in C: UTF-16 takes two bytes per BMP character and four beyond it, which
    is the count except that characters up to U+00FF count one, not two."""
    latin1 = len(_NOT_LATIN1.sub("", text))
    return len(text.encode("utf-16-le", "surrogatepass")) - latin1


def length(text: str) -> int:
    """The counted length Weibo shows (ceil of half-units / 2)."""
    return -(-units(text) // 2)


def _atom_units(atom: str) -> int:
    return URL_UNITS if URL.fullmatch(atom) else sum(char_units(c) for c in atom)


def _clusters(text: str) -> list[str]:
    """Extended grapheme clusters by Unicode's own rules (UAX #29), as the `regex` module's \\X finds
    them: emoji sequences, flags, keycaps and combining marks stay whole."""
    return _GRAPHEME.findall(text)


_GRAPHEME = regex.compile(r"\X")


def atoms(text: str) -> Iterator[str]:
    """The indivisible pieces of a text: whole URLs and whole characters (grapheme clusters)."""
    position = 0
    for match in URL.finditer(text):
        yield from _clusters(text[position:match.start()])
        yield match.group()
        position = match.end()
    yield from _clusters(text[position:])


def truncate(text: str, max_units: int) -> str:
    """`text` cut to at most `max_units` half-units between whole atoms, ending in … when cut."""
    if units(text) <= max_units:
        return text
    budget = max_units - _atom_units(ELLIPSIS)
    kept, used = [], 0
    for atom in atoms(text):
        cost = _atom_units(atom)
        if used + cost > budget:
            break
        kept.append(atom)
        used += cost
    head = "".join(kept).rstrip(" \t\n,，、;；:：")
    return head + ELLIPSIS if head else ""


def _safe(text: str) -> str:
    """Contributed text must not open a topic (#…#) or mention (@) on its own: use full-width signs."""
    return " ".join(text.replace("#", "\uff03").replace("@", "\uff20").split())


@dataclass(frozen=True)
class Post:
    text: str

    @property
    def length(self) -> int:
        return length(self.text)


def short_post(title: str, summary: str, org_short: str, url: str, topic: str, limit: int = SHORT_LIMIT) -> Post:
    """`#topic#【title】summary —— org url`, title and summary cut to fit `limit` counted characters.

    The summary gives way first; a title too long even alone is cut, and the summary dropped."""
    title, summary, org_short = _safe(title), _safe(summary), _safe(org_short)
    head = f"#{topic}#" if topic else ""
    tail = f" —{org_short} {url}" if org_short else f" {url}"
    budget = limit * 2 - units(head + "【】" + tail)
    min_summary = 20  # half-units: less than ten Chinese characters of summary says nothing
    title = truncate(title, max(budget, 0))
    rest = budget - units(title)
    summary = truncate(summary, rest) if rest >= min_summary else ""
    return Post(f"{head}【{title}】{summary}{tail}")


def long_post(title: str, summary: str, details: list[str], org_name: str, url: str, topic: str,
              limit: int = LONG_LIMIT) -> Post:
    """The long-post variant: title, summary, details (cut to fit), organization and link."""
    head = (f"#{topic}#" if topic else "") + f"【{_safe(title)}】\n\n{_safe(summary)}"
    tail = f"\n\n提供单位：{_safe(org_name)}\n详情：{url}"
    body = "\n".join(_safe(d) for d in details if d.strip())
    budget = limit * 2 - units(head + tail)
    if budget < 0:
        head = truncate(head, limit * 2 - units(tail))
        body = ""
    elif body:
        body = truncate(body, budget - units("\n\n"))
    return Post(head + (f"\n\n{body}" if body else "") + tail)
