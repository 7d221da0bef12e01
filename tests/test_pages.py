"""The generated pages of the public site, checked against the YAML they come from."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.model import freshness, urls
from generator.build import BuildError, build
from generator.model import Service
from generator.render import calendar
from generator.render.markup import plain
from projects import copy_project

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site

ROOT = Path(__file__).resolve().parent.parent



def _html(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text("utf-8") if not path.endswith(".html") else (site / path).read_text("utf-8")


def _article(page: str) -> str:
    return page[page.index("<article"):page.index("</article>")]


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_every_entry_has_a_page_with_its_fields(built_site):
    c, site = built_site.catalog, built_site.site
    assert c.entries, "the sample catalog has entries"
    for entry in c.entries:
        data = _yaml(c.root / entry.source)
        page = _html(site, urls.page(entry))
        body = _article(page)
        assert f"<h1>{html.escape(data['title'], quote=False)}</h1>" in body
        org = c.organization(entry.org)
        assert f'href="{urls.relative(urls.page(entry), urls.page(org))}"' in body
        assert html.escape(org.name, quote=False) in body
        assert f'<time datetime="{data["updated"]}">' in body
        if isinstance(entry, Service):
            words = re.sub(r"<[^>]+>", "", body)
            assert html.escape(plain(data["how_to_apply"])[:12], quote=False) in html.unescape(words).replace("\n", " ") or \
                plain(data["how_to_apply"])[:12] in html.unescape(words), entry.uid
        for name in data.get("fields", []) + data.get("audiences", []) + data.get("parks", []):
            assert f'<span class="juli-badge">{name}</span>' in body
        if "number" in data:
            assert html.escape(data["number"], quote=False) in body
        for case in c.cases_citing(entry.uid):
            assert f'href="{urls.relative(urls.page(entry), urls.page(case))}"' in body


def test_freshness_flags_follow_the_catalog_date(built_site):
    c, site = built_site.catalog, built_site.site
    for entry in c.entries:
        body = _article(_html(site, urls.page(entry)))
        assert ("待复核" in body) == freshness.needs_review(entry, c), entry.uid
        assert ("已过期" in body) == freshness.expired(entry, c), entry.uid


def test_every_case_has_a_page_with_problem_approach_effects_figures_and_images(built_site):
    c, site = built_site.catalog, built_site.site
    assert c.cases
    for case in c.cases:
        body = _article(_html(site, urls.page(case)))
        for heading in ("堵点痛点", "模式做法", "作用成效"):
            assert f">{heading}</h2>" in body
        for figure in case.figures:
            assert html.escape(figure.label, quote=False) in body
        for image in case.images:
            src = urls.relative(urls.page(case), urls.case_image(case, image))
            assert f'<img src="{src}" alt="{html.escape(image.alt)}"' in body
            assert (site / urls.case_image(case, image)).stat().st_size > 0
        for org in case.organizations:
            assert urls.relative(urls.page(case), f"organizations/{org}/") in body


def test_every_page_declares_language_description_and_open_graph(built_site):
    pages = sorted(built_site.site.rglob("*.html"))
    assert len(pages) > len(built_site.catalog.entries)
    for path in pages:
        text = path.read_text("utf-8")
        if 'http-equiv="refresh"' in text or path.relative_to(built_site.site).parts[0] in ("share", "admin"):
            continue
        assert '<html lang="zh-CN"' in text, path
        assert re.search(r'<meta name="description" content="[^"]+">', text), path
        for prop in ("og:title", "og:description", "og:site_name"):
            assert f'<meta property="{prop}" content="' in text, (path, prop)
        assert 'type="application/rss+xml"' in text and 'type="application/atom+xml"' in text


def test_entry_and_case_pages_preview_with_their_share_cover(built_site):
    """Items in the feeds' window preview with their kit's cover, older ones with the site's cover."""
    from generator.render import news

    c, site = built_site.catalog, built_site.site
    window = {n.id for n in news.kit_items(c)}
    assert window and len(window) < len(c.entries) + len(c.cases), "the sample has items on both sides of the window"
    for item in list(c.entries) + list(c.cases):
        own = urls.item_id(item) in window
        cover = urls.absolute(c.programme.site.base_url,
                              urls.share_dir(item) + "cover-wide.jpg" if own else "share/site-cover.jpg")
        assert f'<meta property="og:image" content="{cover}">' in _html(site, urls.page(item))
        assert (site / urls.share_dir(item)).is_dir() == own


def test_no_page_loads_anything_from_another_host(built_site):
    """Scripts, styles, fonts, images and frames come from the site itself (links to read elsewhere are fine)."""
    loads = re.compile(r'<(script|img|iframe|source|link)\b[^>]*>', re.I)
    for path in built_site.site.rglob("*.html"):
        for tag in loads.finditer(path.read_text("utf-8")):
            text = tag.group(0)
            if tag.group(1).lower() == "link" and re.search(r'rel="(alternate|canonical)"', text):
                continue
            assert not re.search(r'(src|href)="(https?:)?//', text), (path, text)
    for css in built_site.site.rglob("*.css"):
        assert not re.search(r"url\((['\"]?)(https?:)?//", css.read_text("utf-8")), css
        assert "fonts.googleapis" not in css.read_text("utf-8")


def test_theme_uses_system_chinese_fonts(built_site):
    css = (built_site.site / "assets" / "juli.css").read_text("utf-8")
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert font in css
    assert 'href="assets/juli.css"' in _html(built_site.site, "")


def test_catalog_pages_stay_out_of_the_navigation(built_site):
    c, site = built_site.catalog, built_site.site
    entry = c.entries[0]
    page = _html(site, urls.page(entry))
    nav = page[page.index('<nav class="md-nav md-nav--primary"'):page.index("</nav>", page.index('<nav class="md-nav md-nav--primary"'))]
    assert "directory/" + entry.org not in nav
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    listed = [next(iter(item.values())) for item in config["nav"]]
    assert all(p.count("/") <= 1 for p in listed) and len(listed) < 15


def test_footer_comes_from_programme_settings(built_site):
    s = built_site.catalog.programme.site
    for path in ("", "directory/", "policy/"):
        footer = _html(built_site.site, path).split('<footer class="md-footer">')[1]
        for value in (s.host, s.contact, s.icp, s.public_security):
            assert value and html.escape(value) in footer
        assert "beian" not in footer


def test_events_page_splits_upcoming_and_past_by_catalog_date(built_site):
    c, site = built_site.catalog, built_site.site
    today = freshness.as_of(c)
    events = calendar.events(c)
    assert events
    body = _article(_html(site, "events/"))
    upcoming, past = body.split('id="past"')
    for e in events:
        href = f'href="{urls.relative("events/", urls.page(e))}"'
        assert href in (upcoming if e.end.date() >= today else past), e.uid
        calendar_link = f'href="{urls.relative("events/", urls.event_calendar(e))}"'
        if e.end.date() >= today:  # an event that is over offers no "add to calendar"
            assert calendar_link in upcoming, e.uid
        else:
            assert calendar_link not in body, e.uid


def test_directory_filter_json_counts_match_the_catalog(built_site):
    c, site = built_site.catalog, built_site.site
    data = json.loads((site / "directory" / "entries.json").read_bytes())
    assert len(data["items"]) == len(c.entries)
    by_key = {f["key"]: f for f in data["facets"]}
    expected = {
        "capability": lambda e: {t.id for t in e.capabilities},
        "field": lambda e: {t.id for t in e.fields},
        "park": lambda e: {t.id for t in e.parks},
        "fee": lambda e: {e.fee.id} if e.fee else set(),
        "audience": lambda e: {t.id for t in e.audiences},
        "org": lambda e: {e.org},
        "kind": lambda e: {"service" if isinstance(e, Service) else e.kind},
        "service": lambda e: {t.id for t in getattr(e, "service_kinds", ())},
    }
    assert set(expected) <= set(by_key)
    titles = {e.title: e for e in c.entries}
    for f, facet in enumerate(data["facets"]):
        counts = [0] * len(facet["terms"])
        for item in data["items"]:
            values = item[f + 2]
            for v in [values] if isinstance(values, int) else values:
                counts[v] += 1
        if facet["key"] in expected:
            for (term_id, _), n in zip(facet["terms"], counts):
                assert n == sum(term_id in expected[facet["key"]](e) for e in c.entries), (facet["key"], term_id)
                assert n > 0
    for item in data["items"]:
        entry = titles[item[0]]
        assert item[1] == urls.relative("directory/", urls.page(entry))
        assert (site / "directory" / item[1] / "index.html").is_file()
    assert 'data-src="entries.json"' in _html(site, "directory/")


def test_cases_listing_filters_by_field_and_capability(built_site):
    c, site = built_site.catalog, built_site.site
    data = json.loads((site / "cases" / "cases.json").read_bytes())
    keys = [f["key"] for f in data["facets"]]
    assert "field" in keys and "capability" in keys
    assert sorted(i[0] for i in data["items"]) == sorted(k.title for k in c.cases)


def test_home_about_and_policy(built_site):
    c, site = built_site.catalog, built_site.site
    home = _article(_html(site, ""))
    for section in ("directory/", "cases/", "events/", "data/", "policy/", "about/", "map/", "progress/"):
        assert f'href="{section}"' in home
    assert f"<strong>{len(c.services)}</strong>项服务产品" in home
    about = _article(_html(site, "about/"))
    assert html.escape(c.programme.site.host) in about and 'href="../contributing/"' in about
    policy = _html(site, "policy/")
    seed = Path("/work/shared/seeds/000_8b492ba0cb92fd59.txt")
    source = (ROOT / "docs" / "policy.md").read_text("utf-8")
    assert "梳理、发布科技型社会组织服务企业产品和资源目录" in policy
    if seed.exists():
        for paragraph in (p.strip() for p in seed.read_text("utf-8").splitlines()):
            if len(paragraph) > 20:
                assert paragraph in source


# --- Untrusted text and the atomic build ----------------------------------------------------------

HOSTILE = ("<script>alert(1)</script> <img src=x onerror=alert(2)> "
           '<a href="javascript:alert(4)">x</a> **正常文字**')


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """A private copy of the project with one hostile entry (its printed edition is tested with hostile text
    by test_build_accepts)."""
    root = copy_project(tmp_path_factory.mktemp("hostile") / "project")
    target = next(sorted((root / "catalog" / "organizations").glob("*/services/*.yml")).__iter__())
    text = target.read_text("utf-8")
    data = yaml.safe_load(text)
    text = re.sub(r"(?m)^description:.*?(?=^\w)", "", text, flags=re.S)
    text = text.replace(f"title: {data['title']}", 'title: "<script>alert(5)</script>测试\\"标题"', 1)
    text += f"description: {json.dumps(HOSTILE, ensure_ascii=False)}\n"
    target.write_text(text, "utf-8")
    result = build(root)
    return root, target, result


class _Markup(HTMLParser):
    """Every element and attribute the browser would build from a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def test_hostile_text_never_reaches_a_page_as_markup(hostile_site):
    root, target, result = hostile_site
    entry = next(e for e in result.catalog.services if (root / e.source) == target)
    page = _html(result.site, urls.page(entry))
    parsed = _Markup()
    parsed.feed(page)
    assert "<strong>正常文字</strong>" in page
    for tag, attrs in parsed.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not any((value or "").strip().lower().startswith("javascript:") for value in attrs.values()), (tag, attrs)
        assert not (tag == "img" and attrs.get("src") == "x")
    assert not any("alert(" in script for script in parsed.scripts)
    # Shown as text instead, in the heading, the <title> and the description:
    assert "<h1>&lt;script&gt;alert(5)&lt;/script&gt;测试&#34;标题</h1>" in page
    assert "<title>&lt;script&gt;alert(5)" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_a_failed_build_leaves_the_previous_site_untouched(hostile_site):
    root, target, result = hostile_site
    before = {p: p.read_bytes() for p in result.site.rglob("*") if p.is_file()}
    original = target.read_text("utf-8")
    target.write_text(original.replace("updated:", "updated: 不是日期\nx_updated:", 1), "utf-8")
    try:
        with pytest.raises(BuildError):
            build(root)
    finally:
        target.write_text(original, "utf-8")
    after = {p: p.read_bytes() for p in result.site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in root.iterdir() if p.name.startswith(".site-")]


@pytest.mark.parametrize("number, count, expected", [
    (1, 1, [1]),
    (2, 3, [1, 2, 3]),
    (1, 200, [1, 2, 3, None, 200]),
    (5, 200, [1, 2, 3, 4, 5, 6, 7, None, 200]),  # a gap of one number is the number, not "…"
    (100, 200, [1, None, 98, 99, 100, 101, 102, None, 200]),
    (200, 200, [1, None, 198, 199, 200]),
])
def test_a_pager_links_the_ends_and_the_pages_near_the_current_one(number, count, expected):
    from generator.render.listing import pager

    assert pager(number, count) == expected
