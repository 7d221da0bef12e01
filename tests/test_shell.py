"""Item pages filled into theme shells are exactly what mkdocs would have written: the shipped catalog
built with shells and built with every page going through mkdocs gives the same site, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build
from generator.sitebuilder import SHELL_ROOT

from projects import copy_project

pytestmark = pytest.mark.slow


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def mkdocs_only_site(tmp_path_factory) -> Path:
    """The shipped catalog with every page rendered by mkdocs itself (no shells)."""
    root = copy_project(tmp_path_factory.mktemp("mkdocs-only"))
    result = build(root, shell=False)
    assert result.html.shell_pages == 0
    return result.site


def test_shell_pages_equal_mkdocs_pages(built_site, mkdocs_only_site):
    html = built_site.html
    c = built_site.catalog
    # every entry, case and organization page went through a shell, the rest through mkdocs
    assert html.shell_pages == len(c.entries) + len(c.cases) + len(c.organizations)
    assert html.mkdocs_pages > 10 and 1 <= len(html.shells) <= 6
    ours, theirs = _tree(built_site.site), _tree(mkdocs_only_site)
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []


def test_sitemap_lists_every_page_and_no_placeholder(built_site):
    site = built_site.site
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    base = built_site.catalog.programme.site.base_url
    listed = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    docs = site.parent / ".juli" / "docs"
    pages = {base + (p.relative_to(docs).as_posix()[:-len("index.md")] if p.name == "index.md"
                     else p.relative_to(docs).with_suffix("").as_posix() + "/") for p in docs.rglob("*.md")}
    assert pages == listed
    for entry in built_site.catalog.entries[:5]:
        assert f"{base}directory/{entry.org}/{entry.id}/" in listed
    assert SHELL_ROOT not in sitemap
    assert not any(SHELL_ROOT in p.as_posix() for p in site.rglob("*"))


def test_changed_title_is_escaped_like_mkdocs(tmp_path):
    """Contributed text with markup characters reaches a shell page exactly as mkdocs would print it."""
    pages = {}
    for shell in (True, False):
        root = copy_project(tmp_path / f"shell-{shell}")
        service = sorted((root / "catalog" / "organizations").glob("*/services/*.yml"))[0]
        text = service.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        service.write_text(text.replace(title, "title: 'A&B <i>x</i> \"引号\" 的服务'", 1), "utf-8")
        result = build(root, shell=shell)
        org, name = service.parent.parent.name, service.stem
        pages[shell] = (result.site / "directory" / org / name / "index.html").read_bytes()
    assert pages[True] == pages[False]
    assert b"<i>x</i>" not in pages[True] and b"A&amp;B &lt;i&gt;x&lt;/i&gt;" in pages[True]


def test_preview_fast_path_publishes_pages_first_then_the_same_site(tmp_path):
    """`juli serve`'s rebuild: the changed page is published with the previous search index, then
    `pending()` brings the index up to date; the result equals a full build of the same inputs."""
    root = copy_project(tmp_path / "preview")
    first = build(root)
    service = sorted((root / "catalog" / "organizations").glob("*/services/*.yml"))[0]
    text = service.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    service.write_text(text.replace(title, title + "(预览修改)", 1), "utf-8")
    fast = build(root, search_later=True)
    page = first.site / "directory" / service.parent.parent.name / service.stem / "index.html"
    assert "(预览修改)" in page.read_text("utf-8")
    assert 1 <= fast.html.shell_rendered <= 3 and (first.site / "pagefind" / "pagefind.js").is_file()
    fast.pending()
    full = build(root, out=tmp_path / "full-site")
    ours, theirs = _tree(fast.site), _tree(full.site)
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []
