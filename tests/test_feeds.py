"""The RSS and Atom feeds, read back with an independent parser (feedparser)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
import yaml

from generator import model
from generator.model import urls
from generator.cli import main
from generator.build import build
from generator.checks import validate
from generator.render import Context, covers, feeds, news
from generator.render.share import FILES

from projects import copy_project, seed_memo

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site

BEIJING = timezone(timedelta(hours=8))
EDITED = "bj-ai-industry-alliance/ai-going-global"
EDITED_FILE = "catalog/organizations/bj-ai-industry-alliance/services/ai-going-global.yml"
EDITED_TITLE = "人工智能企业出海合规、数据跨境与海外市场拓展一站式服务(含新加坡、中东和欧洲三大目标市场专项辅导)"


def _feed_files(site: Path) -> list[Path]:
    return [site / "feed.xml", site / "atom.xml", *sorted((site / "feeds").rglob("*.xml"))]


def _parse(path: Path):
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, f"{path}: {parsed.get('bozo_exception')}"
    return parsed


def _items(c: model.Catalog) -> dict[str, news.News]:
    return {feeds.item_tag(c.programme.site.base_url, n): n for n in news.everything(c)}


def _when(struct) -> datetime:
    return datetime(*struct[:6], tzinfo=timezone.utc)


def test_every_feed_parses_with_absolute_links_ids_dates_and_enclosures(built_site):
    c, site = built_site.catalog, built_site.site
    base = c.programme.site.base_url
    domain = re.escape(base.split("/")[2])
    known = _items(c)
    files = _feed_files(site)
    assert len(files) == 2 * (5 + len(c.organizations))
    for path in files:
        feed = _parse(path)
        assert feed.version in ("rss20", "atom10"), path
        assert feed.feed.link.startswith(base)
        self_links = [link.href for link in feed.feed.links if link.rel == "self"]
        assert self_links == [urls.absolute(base, path.relative_to(site).as_posix())]
        assert len(feed.entries) <= c.programme.feeds.max_items
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), f"{path}: duplicate ids"
        newest = None
        for e in feed.entries:
            assert re.fullmatch(rf"tag:{domain},2022:[a-z0-9-]+\.(case\.)?[a-z0-9-]+", e.id), e.id
            item = known[e.id]
            assert e.title == item.title
            assert e.link == item.link and e.link.startswith(base)
            assert (site / urls.page(item.item) / "index.html").is_file(), f"{e.link} has no page"
            assert e.summary == item.summary and "<" not in e.summary
            assert _when(e.published_parsed) == news.beijing(item.published)
            if feed.version == "atom10":
                assert _when(e.updated_parsed) == news.beijing(item.updated)
                assert re.search(r"T00:00:00\+08:00$", e.updated), e.updated
                newest = newest or item.updated
                assert item.updated <= newest  # newest first
            terms = {t.term for t in e.tags}
            assert item.kind_label in terms and {t.name for t in item.item.fields} <= terms
            (enclosure,) = [link for link in e.links if link.rel == "enclosure"]
            site_wide = not path.relative_to(site).as_posix().startswith("feeds/org/")
            assert news.in_window(c, item.item) or not site_wide, "the site and kind feeds are the window"
            image = urls.share_dir(item.item) + "cover-wide.jpg" if news.in_window(c, item.item) else "share/site-cover.jpg"
            assert enclosure.href == urls.absolute(base, image)
            assert enclosure.type == "image/jpeg"
            assert int(enclosure.length) == (site / image).stat().st_size
        if feed.entries and feed.version == "atom10":
            assert _when(feed.feed.updated_parsed) == news.beijing(known[feed.entries[0].id].updated)


def test_feed_contents_by_kind_and_organization(built_site):
    c, site = built_site.catalog, built_site.site
    known = _items(c)
    every = news.everything(c)
    main = _parse(site / "atom.xml")
    expected = [n for n in every if n.updated >= every[0].updated - timedelta(days=c.programme.feeds.days)]
    assert [known[e.id].id for e in main.entries] == [n.id for n in expected[: c.programme.feeds.max_items]]
    checks = {"services": lambda n: n.kind == "service", "events": lambda n: n.kind == "event",
              "cases": lambda n: n.kind == "case", "resources": lambda n: n.kind not in ("service", "case")}
    for kind, belongs in checks.items():
        entries = _parse(site / "feeds" / f"{kind}.atom.xml").entries
        assert entries, kind
        assert all(belongs(known[e.id]) for e in entries), kind
    for org in c.organizations:
        entries = _parse(site / "feeds" / "org" / f"{org.id}.xml").entries
        mine = {urls.item_id(x) for x in c.entries_of(org.id)} | {urls.item_id(x) for x in c.cases_of(org.id)}
        assert {known[e.id].id for e in entries} <= mine
        assert len(entries) == min(len(mine), c.programme.feeds.max_items) or c.programme.feeds.days < 3650


def test_pages_announce_the_feeds_and_carry_open_graph_covers(built_site):
    c, site = built_site.catalog, built_site.site
    base = c.programme.site.base_url
    for item in (*c.entries, *c.cases):
        page = (site / urls.page(item) / "index.html").read_text("utf-8")
        found = dict(re.findall(r'<link rel="alternate" type="application/(rss|atom)\+xml"[^>]*href="([^"]+)"', page))
        here = urls.absolute(base, urls.page(item))
        assert {k: urljoin(here, v) for k, v in found.items()} == {"rss": f"{base}feed.xml", "atom": f"{base}atom.xml"}
        image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
        own = urls.share_dir(item) + "cover-wide.jpg"
        assert image == urls.absolute(base, own if news.in_window(c, item) else "share/site-cover.jpg")
        assert (site / image.removeprefix(base)).is_file(), image
        assert (site / own).is_file() == news.in_window(c, item), "only items in the window get a kit"
        assert re.search(r'<meta property="og:title" content="[^"]+"', page)


def _render_feeds(root: Path, cache: Path) -> dict[str, bytes]:
    catalog = model.build(validate(root))
    ctx = Context(catalog=catalog, root=root, cache=cache)
    return {o.path: o.data for o in feeds.render(ctx)}


def test_feeds_are_deterministic(built_site):
    root = built_site.catalog.root
    outputs = _render_feeds(root, root / ".juli" / "cache")
    for path, data in outputs.items():
        assert (built_site.site / path).read_bytes() == data, path


def test_window_is_configuration(built_site, tmp_path):
    root = copy_project(tmp_path / "p")
    programme = root / "catalog" / "programme.yml"
    text = programme.read_text("utf-8")
    text = re.sub(r"max_items: \d+", "max_items: 5", text)
    text = re.sub(r"days: \d+", "days: 30", text)
    programme.write_text(text, "utf-8")
    outputs = _render_feeds(root, built_site.catalog.root / ".juli" / "cache")
    newest = news.everything(built_site.catalog)[0].updated
    for path in ("feed.xml", "atom.xml", "feeds/services.xml", "feeds/events.atom.xml"):
        entries = feedparser.parse(outputs[path]).entries
        assert 0 < len(entries) <= 5 if path != "feeds/services.xml" else len(entries) <= 5
        for e in entries:
            assert _when(e.published_parsed).date() <= newest
    for e in feedparser.parse(outputs["atom.xml"]).entries:
        assert _when(e.updated_parsed).astimezone(BEIJING).date() >= newest - timedelta(days=30)


@pytest.fixture(scope="module")
def edited_site(built_site, tmp_path_factory):
    """The sample project with one entry retitled and updated, built with the first build's memo store."""
    first = built_site
    root = copy_project(tmp_path_factory.mktemp("edited"))  # the same settings as built_site
    seed_memo(root, first.catalog.root)
    newest = news.everything(first.catalog)[0].updated
    path = root / EDITED_FILE
    text = path.read_text("utf-8")
    text = re.sub(r"(?m)^title: .*$", f"title: {EDITED_TITLE}", text)
    text = re.sub(r"(?m)^updated: .*$", f"updated: {newest.isoformat()}", text)
    path.write_text(text, "utf-8")
    before = dict(covers.stats)
    result = build(root)
    drawn = covers.stats["drawn"] - before.get("drawn", 0)
    return first, result, drawn, newest


def test_rebuild_keeps_ids_and_dates_and_changes_only_the_edited_item(edited_site):
    first, result, drawn, newest = edited_site
    assert yaml.safe_load((result.catalog.root / EDITED_FILE).read_text("utf-8"))["title"] == EDITED_TITLE
    edited_tag = feeds.tag(result.catalog.programme.site.base_url, urls.item_id(result.catalog.entry(EDITED)))
    assert edited_tag == "tag:juli.example.org,2022:bj-ai-industry-alliance.ai-going-global"
    for path in _feed_files(first.site):
        rel = path.relative_to(first.site)
        old = {e.id: e for e in _parse(path).entries}
        new = {e.id: e for e in _parse(result.site / rel).entries}
        for id in old.keys() & new.keys():
            if id == edited_tag:
                continue
            assert _facts(old[id]) == _facts(new[id]), f"{rel}: {id} changed"
        if edited_tag in new:
            assert new[edited_tag].title == EDITED_TITLE
            if rel.name.endswith("atom.xml"):
                assert _when(new[edited_tag].updated_parsed) == news.beijing(newest)
            if edited_tag in old:
                assert old[edited_tag].published == new[edited_tag].published
                assert old[edited_tag].title != new[edited_tag].title
        if "bj-ai-industry-alliance" not in rel.name and rel.parts[0] == "feeds" and rel.parts[1] == "org":
            assert path.read_bytes() == (result.site / rel).read_bytes(), f"{rel} should not change"
    main = _parse(result.site / "atom.xml").entries
    assert edited_tag in [e.id for e in main if _when(e.updated_parsed) == news.beijing(newest)]


def _facts(entry) -> tuple:
    """What must not change for an item nobody edited (Atom entries also carry `updated`)."""
    return entry.title, entry.link, entry.published_parsed, entry.get("updated_parsed") if "updated_parsed" in entry else None


def test_rebuild_redraws_only_the_edited_cover(edited_site):
    _, _, drawn, _ = edited_site
    assert drawn == 1  # every other cover came from the cache of the first build


def test_rebuild_flags_the_long_title_on_the_desk_and_in_juli_share(edited_site, capsys):
    _, result, _, _ = edited_site
    item_id = urls.item_id(result.catalog.entry(EDITED))
    desk = (result.site / "share" / "index.html").read_text("utf-8")
    assert "标题超过 32 字" in desk and EDITED_TITLE[31:] in desk
    assert main(["share", item_id, "--root", str(result.catalog.root)]) == 0
    out = capsys.readouterr().out
    kit = result.site / "share" / item_id
    assert (kit / "weibo.txt").read_text("utf-8").rstrip("\n") in out
    assert "标题超过 32 字" in out
    for name in FILES:
        assert str(kit / name) in out
