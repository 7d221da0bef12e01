"""Item pages filled into theme shells are exactly what mkdocs would have written: the shipped catalog
built with shells and built with every page going through mkdocs gives the same site, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.build.sitebuilder import SHELL_ROOT, _load

from projects import copy_project, seed_memo

pytestmark = pytest.mark.slow


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def mkdocs_only_site(built_site, tmp_path_factory) -> Path:
    """The shipped catalog with every page rendered by mkdocs itself (no shells)."""
    root = copy_project(tmp_path_factory.mktemp("mkdocs-only"))  # the same settings as built_site
    seed_memo(root, built_site.catalog.root)  # its covers and images, made once
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
    excluded = _load(site.parent / "mkdocs.yml", docs, site, base).exclude_docs  # notes kept out of the site
    pages = {base + (p.relative_to(docs).as_posix()[:-len("index.md")] if p.name == "index.md"
                     else p.relative_to(docs).with_suffix("").as_posix() + "/") for p in docs.rglob("*.md")
             if not excluded.match_file(p.relative_to(docs).as_posix())}
    assert pages == listed
    for entry in built_site.catalog.entries[:5]:
        assert f"{base}directory/{entry.org}/{entry.id}/" in listed
    assert SHELL_ROOT not in sitemap
    assert not any(SHELL_ROOT in p.as_posix() for p in site.rglob("*"))


def test_changed_title_is_escaped_like_mkdocs(tmp_path, warm_memo):
    """Contributed text with markup characters reaches a shell page exactly as mkdocs would print it."""
    pages = {}
    for shell in (True, False):
        root = copy_project(tmp_path / f"shell-{shell}")
        seed_memo(root, warm_memo)
        service = sorted((root / "catalog" / "organizations").glob("*/services/*.yml"))[0]
        text = service.read_text("utf-8")
        title = next(line for line in text.splitlines() if line.startswith("title:"))
        service.write_text(text.replace(title, "title: 'A&B <i>x</i> \"引号\" 的服务'", 1), "utf-8")
        result = build(root, shell=shell)
        org, name = service.parent.parent.name, service.stem
        pages[shell] = (result.site / "directory" / org / name / "index.html").read_bytes()
    assert pages[True] == pages[False]
    assert b"<i>x</i>" not in pages[True] and b"A&amp;B &lt;i&gt;x&lt;/i&gt;" in pages[True]


def test_preview_fast_path_publishes_pages_first_then_the_same_site(tmp_path, warm_memo):
    """`juli serve`'s rebuild: the changed page is published with the previous search index, then
    `pending()` brings the index up to date; the result equals a full build of the same inputs."""
    root = copy_project(tmp_path / "preview")
    seed_memo(root, warm_memo)
    first = build(root)
    service = sorted((root / "catalog" / "organizations").glob("*/services/*.yml"))[0]
    text = service.read_text("utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    service.write_text(text.replace(title, title + "(预览修改)", 1), "utf-8")
    fast = build(root, search_later=True)
    page = first.site / "directory" / service.parent.parent.name / service.stem / "index.html"
    assert "(预览修改)" in page.read_text("utf-8")
    assert 1 <= fast.html.shell_rendered <= 3 and (first.site / "search-index" / "meta.json").is_file()
    fast.pending()
    full = build(root, out=tmp_path / "full-site")
    ours, theirs = _tree(fast.site), _tree(full.site)
    assert sorted(ours) == sorted(theirs)
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []


# ---------------------------------------------------------------------------------------------------
# The raw-HTML shortcut (sitebuilder.raw_html_content) against Python-Markdown's real conversion.


@pytest.fixture(scope="module")
def markdown_pass(tmp_path_factory):
    """The project's mkdocs settings, the shortcut bound to them, and mkdocs' own conversion of a source."""
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from generator.build.sitebuilder import _load, _raw_html_pass

    docs = tmp_path_factory.mktemp("raw-html-docs")
    config = _load(Path(__file__).resolve().parent.parent / "mkdocs.yml", docs, docs.parent / "site", "https://juli.example.org/")
    fast = _raw_html_pass(config)
    assert fast is not None, "the shortcut is off for the project's Markdown settings: re-prove it (sitebuilder)"

    def real(source: str) -> tuple[str, str, bool]:
        """The body mkdocs reads from `source`, its HTML and whether it has a table of contents."""
        (docs / "item.md").write_text(source, "utf-8")
        file = File("item.md", str(docs), config.site_dir, config.use_directory_urls)
        page = Page(None, file, config)
        page.read_source(config)
        page.render(config, Files([file]))
        return page.markdown, page.content, bool(page.toc)

    return fast, real


def test_raw_html_shortcut_equals_markdown_on_every_generated_item_page(tmp_path, markdown_pass):
    """Every entry, case and organization page of a generated 300-entry catalog: the shortcut answers,
    and its HTML is exactly mkdocs' conversion (and there is no table of contents to lose)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.generate import generate
    from generator import model
    from generator.build import _item_pages
    from generator.checks import validate
    from generator.render import Context, renderers

    fast, real = markdown_pass
    root = tmp_path / "catalog"
    generate(root, 300, 3)
    catalog = model.build(validate(root))
    ctx = Context(catalog=catalog, root=root, cache=tmp_path / "cache")
    wanted = _item_pages(catalog)
    pages = {o.path: o.data.decode("utf-8") for r in renderers() for o in r(ctx) if o.tree == "docs" and o.path in wanted}
    assert len(pages) == len(wanted) == len(catalog.entries) + len(catalog.cases) + len(catalog.organizations)
    differ = []
    for path, source in sorted(pages.items()):
        body, html, has_toc = real(source)
        if fast(body) != html or has_toc:
            differ.append(path)
    assert differ == []


_CLEAN_TEXT = st.sampled_from(["北京", "服务 产品", "A&amp;B", "&lt;i&gt;", "&#39;", "&#x4e2d;", "x > y", "a\nb", "\n",
                               "*不是强调*", "[链接](x.md)", "`code`", "# 不是标题", "1. 不是列表", "| a | b |",
                               "{: .cls }", "    缩进", "- 项", "> 引用", "\\_", "http://example.org", "  两个空格  "])
_TRICKY_TEXT = st.sampled_from(["<!-- 注释 -->", "</>", "&#12", "&amp", "<", "```", "~~~", "\t", "\r\n", " \n", "\n\n",
                                "\x02", "<?pi?>", "<![CDATA[x]]>", "<script>x</script>", "<script>if (a < b) {}</script>",
                                "<script>\n<p>x</p>\n</script>", "<style>a<b</style>", "<br />", "<P>", "</p>",
                                "<div markdown=\"1\">", "\u3000", "<a href='x'>", "<hr>", "<img src=\"a.png\">"])
_INNER = ["p", "span", "a", "ul", "li", "dl", "dt", "dd", "h1", "h2", "h3", "strong", "code", "pre", "table", "tr", "td",
          "svg", "g", "text", "title", "linearGradient", "section"]
_ATTRS = st.sampled_from(["", ' class="juli-x"', ' id="apply"', ' href="../../a/"', ' data-x="1 &amp; 2"',
                          ' viewBox="0 0 1 1"', ' hidden', ' title="一个 &quot;标题&quot;"'])


def _element(tags, children_text):
    def build(tag, attrs, children, sep):
        return f"<{tag}{attrs}>{sep}{''.join(children)}{sep}</{tag}>"
    return lambda children: st.builds(build, st.sampled_from(tags), _ATTRS, st.lists(children, max_size=4),
                                      st.sampled_from(["", "\n"]))


def _body(text, tricky: bool):
    voids = st.sampled_from(['<img src="a.png" alt="标志" width="72">', "<br>", "<hr>", '<path d="M0 0"/>', '<rect x="1" />'])
    leaves = st.one_of(text, voids)
    inner = st.recursive(leaves, _element(_INNER, text), max_leaves=12)
    top = st.builds(lambda tag, attrs, kids: f"<{tag}{attrs}>\n{''.join(kids)}\n</{tag}>",
                    st.sampled_from(["div", "section", "dl", "ul", "p", "h2"]), _ATTRS, st.lists(inner, max_size=5))
    style = st.sampled_from(["<style>\n.juli-a{color:red}\n.b > .c{margin:0}\n</style>",
                             '<script>\n(function () {\n  var a = "x" && b > 1;\n})();\n</script>'])
    blocks = st.lists(st.one_of(top, style) if not tricky else st.one_of(top, style, inner, text), min_size=1, max_size=3)
    seps = st.sampled_from(["\n", "\n\n", "\n\n\n"] + ([" ", "", "\n \n", "\t\n"] if tricky else []))
    return st.builds(lambda bs, sep, end: sep.join(bs) + end, blocks, seps, st.sampled_from(["\n", "", "\n\n"]))


_FRONT = '---\ntitle: "条目"\ndescription: "说明"\nhide: ["navigation", "toc"]\n---\n\n'


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=_body(_CLEAN_TEXT, tricky=False))
def test_raw_html_shortcut_answers_well_formed_bodies_exactly(markdown_pass, body):
    fast, real = markdown_pass
    markdown, html, has_toc = real(_FRONT + body)
    assert fast(markdown) == html and not has_toc


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=_body(st.one_of(_CLEAN_TEXT, _TRICKY_TEXT), tricky=True))
def test_raw_html_shortcut_never_differs_from_markdown(markdown_pass, body):
    """Whatever the body, the shortcut gives mkdocs' exact HTML or declines (None)."""
    fast, real = markdown_pass
    markdown, html, has_toc = real(_FRONT + body)
    answer = fast(markdown)
    assert answer is None or (answer == html and not has_toc)
