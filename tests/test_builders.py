"""The site builder contained: its reach past mkdocs' and Python-Markdown's public API (`seams`) checked
against the real thing at the installed versions, the page shells active at them, a fallback that
renders plain mkdocs when a shell cannot be captured, the copied theme partial in step with the
installed mkdocs-material, and Zensical, the supported second builder, making the same pages."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import markdown
import pytest

import material
from generator.build import build, seams, sitebuilder
from generator.model import urls

from projects import ROOT, copy_project, seed_memo


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def docs(built_site) -> Path:
    """The docs tree the shipped catalog's build generated."""
    return built_site.catalog.root / ".juli" / "docs"


def _config(docs: Path, site: Path):
    return sitebuilder._load(ROOT / "mkdocs.yml", docs, site, "https://juli.example.org/")


def test_installed_libraries_are_the_tested_ones():
    assert seams.untested() == []
    pins = (ROOT / "pyproject.toml").read_text("utf-8")
    for name, tested in seams.TESTED.items():
        major, minor = tested.split(".")
        assert re.search(rf'"{name}>={major}\.{minor}(\.\d+)?,<{major}\.{int(minor) + 1}"', pins), name


@pytest.mark.slow
def test_the_shell_path_is_active(built_site, docs, tmp_path):
    """The fast path is not only correct but in use: item pages went into shells, the Markdown shortcut
    is on, and nothing warned."""
    html = built_site.html
    items = len(built_site.catalog.entries) + len(built_site.catalog.cases) + len(built_site.catalog.organizations)
    assert html.shell_pages == items and html.mkdocs_pages < 30 and html.warnings == []
    assert sitebuilder._raw_html_pass(_config(docs, tmp_path)) is not None


@pytest.mark.slow
def test_processors_are_compared_by_name(docs, tmp_path):
    config = _config(docs, tmp_path)
    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    assert seams.processors_match(md, sitebuilder._PROVEN)
    more = markdown.Markdown(extensions=[*config["markdown_extensions"], "footnotes"],
                             extension_configs=config["mdx_configs"] or {})
    assert not seams.processors_match(more, sitebuilder._PROVEN)
    assert sitebuilder._raw_html_pass(config) is not None


def _page(config, files, uri: str):
    from mkdocs.structure.pages import Page

    return Page(None, files.get_file_from_path(uri), config)


@pytest.fixture(scope="module")
def mkdocs_files(docs, tmp_path_factory):
    from mkdocs.structure.files import get_files

    config = _config(docs, tmp_path_factory.mktemp("site"))
    config.plugins.on_startup(command="build", dirty=False)
    return config, get_files(config)


@pytest.mark.slow
def test_read_page_is_mkdocs_populate_page(mkdocs_files):
    """`seams.read_page` repeats mkdocs' private `_populate_page`: the same meta and content for item
    pages and hand-written ones."""
    from mkdocs.commands.build import _populate_page

    config, files = mkdocs_files
    item = next(f.src_uri for f in files if f.src_uri.startswith("directory/") and f.src_uri.count("/") == 3)
    for uri in ("policy.md", "about/index.md", item):
        theirs = _page(config, files, uri)
        _populate_page(theirs, config, files)
        meta, content, has_toc = seams.read_page(_page(config, files, uri), config, files, lambda text: None)
        assert (meta, content, has_toc) == (theirs.meta, theirs.content, bool(theirs.toc)), uri


@pytest.mark.slow
def test_skip_render_sets_what_render_sets(mkdocs_files):
    """For an item page (raw HTML only), `skip_render` leaves the page as mkdocs' `Page.render` does."""
    config, files = mkdocs_files
    uri = next(f.src_uri for f in files if f.src_uri.startswith("cases/") and f.src_uri.count("/") == 3)
    theirs, ours = _page(config, files, uri), _page(config, files, uri)
    for page in (theirs, ours):
        page.read_source(config)
    theirs.render(config, files)
    content = sitebuilder._raw_html_pass(config)(ours.markdown)
    assert content is not None
    seams.skip_render(ours, content)
    ours.render(config, files)
    for name in ("content", "_title_from_render", "present_anchor_ids", "links_to_anchors"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert list(ours.toc) == list(theirs.toc) == []
    assert theirs.present_anchor_ids  # the comparison saw anchors


@pytest.mark.slow
def test_sitemap_page_has_what_a_page_has(mkdocs_files):
    from mkdocs.structure.files import File

    config, files = mkdocs_files
    file = next(f for f in files if f.src_uri.startswith("directory/") and f.src_uri.count("/") == 3)
    real = _page(config, files, file.src_uri)
    copy = File(file.src_uri, file.src_dir, file.dest_dir, file.use_directory_urls)
    made = seams.sitemap_page(copy, config.site_url, seams.build_date()).page
    for name in ("is_link", "canonical_url", "update_date", "abs_url"):
        assert getattr(made, name) == getattr(real, name), name


@pytest.mark.slow
def test_a_shell_that_cannot_be_captured_falls_back_to_plain_mkdocs(docs, tmp_path, monkeypatch):
    shell = {p.relative_to(docs).as_posix(): "x" for p in docs.rglob("index.md") if p.relative_to(docs).as_posix().count("/") >= 2}
    plain = sitebuilder.build_html(ROOT / "mkdocs.yml", docs, tmp_path / "plain", "https://juli.example.org/")
    monkeypatch.setattr(sitebuilder, "_split", lambda html, markers: None)
    result = sitebuilder.build_html(ROOT / "mkdocs.yml", docs, tmp_path / "fallback", "https://juli.example.org/",
                                    shell=shell, cache=tmp_path / "cache")
    assert result.shell_pages == 0 and len(result.warnings) == 1
    assert "main.html" in result.warnings[0] and "mkdocs 逐页渲染" in result.warnings[0]
    assert result.mkdocs_pages == plain.mkdocs_pages > 100
    assert _tree(tmp_path / "fallback") == _tree(tmp_path / "plain")


def test_an_untested_markdown_turns_the_shells_off_with_a_warning(monkeypatch):
    monkeypatch.setitem(seams.TESTED, "markdown", "3.0")
    assert seams.untested() == [f"markdown {markdown.__version__}（已测试的是 3.0）"]


def test_header_partial_is_materials_with_only_the_search_box_replaced():
    """overrides/partials/header.html is a copy of the installed mkdocs-material's, search box aside."""
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text("utf-8")
    ours = (ROOT / "overrides" / "partials" / "header.html").read_text("utf-8")
    comment = re.compile(r"\A\{#-.*?-#\}\n", re.S)
    search = re.compile(r'( *)\{% if "material/search" in config\.plugins %\}.*?\{% endif %\}\n\s*\{% endif %\}\n', re.S)
    found = search.search(theirs)
    assert found, "mkdocs-material's header no longer has the search block this copy replaces"
    expected = comment.sub("", theirs.replace(found.group(0), found.group(1) + '{% include "partials/juli-search.html" %}\n'))
    assert comment.sub("", ours) == expected


def _main_text(path: Path) -> tuple[str, str, list[str]]:
    """A page's title, the text of its article and the links in it (anchors without a target, such as
    Zensical's skip-link target, are not links)."""
    doc = lxml.html.parse(str(path))
    [article] = doc.xpath("//article")
    return (doc.findtext(".//title"), " ".join(article.text_content().split()),
            [a.get("href") for a in article.iter("a") if a.get("href") is not None])


@pytest.mark.slow
def test_zensical_builds_the_same_pages(built_site, tmp_path):
    root = copy_project(tmp_path / "p")
    seed_memo(root, built_site.catalog.root)
    zensical = build(root, builder="zensical")
    ours, theirs = built_site.site, zensical.site
    pages = sorted(p.relative_to(ours).as_posix() for p in ours.rglob("index.html"))
    assert pages == sorted(p.relative_to(theirs).as_posix() for p in theirs.rglob("index.html"))
    c = built_site.catalog
    sample = ["index.html", "directory/index.html", "policy/index.html", urls.page(c.entries[0]) + "index.html",
              urls.page(c.cases[0]) + "index.html", urls.page(c.organizations[0]) + "index.html"]
    for rel in sample:
        mine, yours = _main_text(ours / rel), _main_text(theirs / rel)
        assert mine == yours, rel
        assert len(mine[1]) > 100
