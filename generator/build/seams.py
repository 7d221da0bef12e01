"""Every place the site builder reaches past mkdocs' and Python-Markdown's public API, in one module.

The page shells (see `sitebuilder`) need four things neither library offers publicly:
- reading a page as mkdocs' build does, up to its content, without rendering the theme (mkdocs' private
  `commands.build._populate_page`, whose steps `read_page` repeats with the Markdown step replaceable);
- a page whose Markdown is known to convert to itself keeps mkdocs' own `Page.render` out (`skip_render`
  sets what `Page.render` sets, including its private `_title_from_render`);
- the sitemap listing pages mkdocs never made `Page`s of (`sitemap_page`: the four values its template
  reads, computed as `Page.__init__` does);
- mkdocs' reading of the clock, which only `SOURCE_DATE_EPOCH` replaces (`source_date`).

Each is written against the versions in `TESTED`; tests/test_seams.py checks each against the real
thing at the installed versions, and `untested()` names any installed version outside them, so the
builder falls back to plain mkdocs rendering (with a warning) rather than guess. Python-Markdown's
processors are compared through its public registry API (`name in registry`, `len(registry)`).
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from datetime import date, datetime, timezone
from html import unescape
from importlib import metadata
from typing import Callable, Iterator

TESTED = {"mkdocs": "1.6", "markdown": "3.11"}  # major.minor the seams were written and tested against


def untested() -> list[str]:
    """`name installed (tested x.y)` for each library whose installed major.minor is not the tested one."""
    out = []
    for name, tested in TESTED.items():
        installed = metadata.version(name)
        if ".".join(installed.split(".")[:2]) != tested:
            out.append(f"{name} {installed}（已测试的是 {tested}）")
    return out


def read_page(page, config, files, convert: Callable[[str], str | None]) -> tuple[dict, str, bool]:
    """mkdocs' `_populate_page` for one page (plugin events, front matter, Markdown), where `convert` may
    give the content without Python-Markdown (None: mkdocs renders it). Returns meta, content and
    whether it has a table of contents."""
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    content = convert(page.markdown)
    if content is None:
        page.render(config, files)
        content, has_toc = page.content, bool(page.toc)
    else:
        has_toc = False
    content = config.plugins.on_page_content(content, page=page, config=config, files=files)
    return page.meta, content, has_toc


TAG = re.compile(  # a strict, double-quoted, single-line tag
    r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>`\n]*")?)*)( ?/)?>')
_ATTRIBUTE = re.compile(r' ([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')


def skip_render(page, content: str) -> None:
    """Make mkdocs' coming `page.render` set what it would for a body that converts to `content`: the
    content; an empty table of contents and no title from it (headings inside raw HTML are not Markdown
    headings); the anchors the raw HTML declares and no links to check (mkdocs only logs about those)."""
    from mkdocs.structure.toc import get_toc

    def render(config, files) -> None:
        anchors = set()
        for tag in TAG.finditer(content):
            for name, value in _ATTRIBUTE.findall(tag.group(3) or ""):
                if name.lower() == "id" or (name.lower() == "name" and tag.group(2).lower() == "a"):
                    anchors.add(unescape(value))
        page.content = content
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = anchors
        page.links_to_anchors = {}

    page.render = render


def sitemap_page(file, base: str, update_date: str):
    """What mkdocs' sitemap template reads of a page, for a page mkdocs made no `Page` of (making 10,000
    `Page`s for it took most of a second): computed as `Page.__init__` does."""
    from types import SimpleNamespace
    from urllib.parse import urljoin, urlsplit

    if file.page is not None:
        return file
    canonical = urljoin(base, file.url) if base else None
    page = SimpleNamespace(is_link=False, canonical_url=canonical, update_date=update_date,
                           abs_url=urlsplit(canonical).path if canonical else None)
    return SimpleNamespace(page=page)


def build_date() -> str:
    from mkdocs.utils import get_build_date

    return get_build_date()


def processors_match(md, proven: dict[str, list[str]]) -> bool:
    """Whether the Markdown instance `md` runs exactly the `proven` processors, by registry name."""
    registries = {"preprocessors": md.preprocessors, "blockprocessors": md.parser.blockprocessors,
                  "inlinepatterns": md.inlinePatterns, "treeprocessors": md.treeprocessors,
                  "postprocessors": md.postprocessors}
    return set(registries) == set(proven) and all(
        len(registry) == len(proven[name]) and all(p in registry for p in proven[name])
        for name, registry in registries.items())


def source_date_env(day: date | None) -> dict[str, str]:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) for `day`, midnight UTC; nothing without a day."""
    if day is None:
        return {}
    return {"SOURCE_DATE_EPOCH": str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))}


@contextmanager
def source_date(day: date | None) -> Iterator[None]:
    """mkdocs reads the clock (sitemap dates, `build_date_utc`) only through SOURCE_DATE_EPOCH, in this
    process: set for the in-process mkdocs build alone and put back after it (a builder in a child
    process gets it in the child's environment instead, `source_date_env`)."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ.update(source_date_env(day))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
