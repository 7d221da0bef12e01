"""Share kits: Weibo texts, WeChat article HTML, the editor's desk and `juli share`."""

from __future__ import annotations

import pytest
import html
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

from PIL import Image

from generator.cli import main
from generator.render import news, wechat, weibo
from generator.render.share import FILES

WECHAT_TAGS = {"html", "head", "meta", "title", "body", "section", "p", "span", "img", "br", "a"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def _kits(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "share").glob("*/weibo.txt"))


@pytest.mark.slow
def test_every_item_in_the_feeds_has_a_complete_kit(built_site):
    """Kits for the items of the site feed and the per-kind feeds (the window), nothing for the others."""
    c, site = built_site.catalog, built_site.site
    expected = {n.id for n in news.kit_items(c)}
    window = {n.id for ch in news.channels(c) if not ch.slug.startswith("org/") for n in ch.items}
    assert expected == window
    assert {k.name for k in _kits(site)} == expected
    for kit in _kits(site):
        assert sorted(p.name for p in kit.iterdir() if p.suffix not in {".gz", ".br"}) == sorted(FILES + ("index.html",))
    outside = [n for n in news.everything(c) if n.id not in expected]
    assert outside, "the sample catalog has items outside the window"
    for n in outside:
        assert not (site / n.share_dir).exists(), n.id
    with Image.open(site / "share" / "site-cover.jpg") as cover:  # their pages' preview image
        assert cover.size == (900, 383)


@pytest.mark.slow
def test_weibo_texts_fit_and_carry_topic_org_and_link(built_site):
    c, site = built_site.catalog, built_site.site
    topic = f"#{c.programme.site.topic}#"
    by_id = {n.id: n for n in news.everything(c)}
    for kit in _kits(site):
        item = by_id[kit.name]
        short = (kit / "weibo.txt").read_text("utf-8").rstrip("\n")
        long = (kit / "weibo-long.txt").read_text("utf-8").rstrip("\n")
        assert weibo.length(short) <= 140, kit.name
        assert weibo.length(long) <= 2000, kit.name
        assert short.startswith(topic) and long.startswith(topic)
        assert item.org.short_name in short and item.org.name in long
        assert short.endswith(item.link) and long.endswith(item.link)
        assert item.link.startswith(c.programme.site.base_url)


@pytest.mark.slow
def test_wechat_html_survives_the_wechat_editor(built_site):
    c, site = built_site.catalog, built_site.site
    by_id = {n.id: n for n in news.everything(c)}
    footnoted = 0
    for kit in _kits(site):
        html = (kit / "wechat.html").read_text("utf-8")
        assert "<style" not in html and "class=" not in html and "<script" not in html.lower()
        assert not re.search(r"\son\w+=", html), "no event handlers"
        tags = _tags(html)
        assert {t for t, _ in tags} <= WECHAT_TAGS, kit.name
        for tag, attrs in tags:
            if tag == "a":
                assert re.match(r"https://mp\.weixin\.qq\.com/", attrs.get("href", "")), attrs
        # the cover is the article's cover (set in the editor), never repeated at the top of the body
        assert "img" not in {t for t, _ in tags} and "cover-wide.jpg\"" not in html.split("</head>")[1]
        meta = {a["name"]: a["content"] for t, a in tags if t == "meta" and "name" in a}
        assert len(meta["wechat:title"]) <= 32 and len(meta["wechat:digest"]) <= 120
        item = by_id[kit.name]
        assert meta["wechat:content_source_url"] == item.link
        assert f"阅读原文\uff1a{item.link}" in html
        notes = re.findall(r"\[(\d+)\] (https?://\S+?)</p>", html)
        for n, url in notes:
            assert f"[{n}]</span>" in html, f"footnote {n} is never referenced"
        footnoted += bool(notes)
    assert footnoted, "some sample entry links outside WeChat, so some article has footnotes"


def test_wechat_conversion_of_tricky_markdown():
    text = """### 办理流程

1. 提交 [申请表](https://example.org/form)
    - 附件见[说明](https://example.org/form)
2. 阅读[公众号文章](https://mp.weixin.qq.com/s/abc)

<script>alert(1)</script> **重点** `代码`

| 项目 | 费用 |
| --- | --- |
| 检测 | 免费 |
"""
    notes = wechat.Footnotes()
    html = wechat.body_html(text, notes, "#1A4F8B")
    assert notes.urls == ["https://example.org/form"]  # one URL, one number
    assert html.count("[1]</span>") == 2
    assert '<a href="https://mp.weixin.qq.com/s/abc">公众号文章</a>' in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert {t for t, _ in _tags(html)} <= {"section", "p", "span", "br", "a"}
    assert "1. 提交" in html and "• 附件见" in html and "2. 阅读" in html
    assert "<span>检测</span> | <span>免费</span></p>" in html
    assert html.count("<p") == html.count("</p>") and html.count("<section") == html.count("</section>")


def test_title_and_digest_limits_say_what_was_cut():
    title = "人工智能企业出海合规、数据跨境与海外市场拓展一站式服务(含三大目标市场专项辅导)"
    short, digest, warnings = wechat.title_and_digest(title, "摘要" * 100)
    assert len(short) == 32 and short.endswith("…")
    assert title.startswith(short[:-1])
    assert len(digest) <= 120
    assert "标题超过 32 字" in warnings[0] and title[31:] in warnings[0]
    assert "摘要超过 120 字" in warnings[1]
    assert wechat.title_and_digest("短标题", "短摘要") == ("短标题", "短摘要", ())


@pytest.mark.slow
def test_editors_desk(built_site):
    """The desk lists every kit, newest first, and links each kit's page, which holds its texts and files."""
    site = built_site.site
    desk = (site / "share" / "index.html").read_text("utf-8")
    assert '<meta name="robots" content="noindex' in desk
    assert '<input type="date" id="since" value="' in desk
    kits = _kits(site)
    for kit in kits:
        text = (kit / "weibo.txt").read_text("utf-8").rstrip("\n")
        assert f'id="{kit.name}"' in desk and f'href="{kit.name}/"' in desk
        assert f"计 {weibo.length(text)} / 140 字" in desk
        page = (kit / "index.html").read_text("utf-8")
        assert '<meta name="robots" content="noindex' in page and 'href="../desk.css"' in page
        assert html.escape(text, quote=False) in page
        for name in FILES:
            assert f'href="{name}"' in page
    updated = re.findall(r'<article class="item" data-updated="([\d-]+)"', desk)
    assert updated == sorted(updated, reverse=True) and len(updated) == len(kits)
    # a short list, whatever the kits hold: a few hundred bytes an item besides the shared head
    assert len(desk.encode()) < 4000 + 1200 * len(kits)
    # not in the public navigation: no page of the site links to the desk
    for page in site.rglob("*.html"):
        if "share" not in page.relative_to(site).parts:
            assert not re.search(r'href="[^"]*share/(index\.html)?"', page.read_text("utf-8", errors="replace")), page


@pytest.mark.slow
def test_juli_share_since_lists_what_is_new(built_site, capsys):
    c = built_site.catalog
    every = news.everything(c)
    day = every[min(5, len(every) - 1)].updated
    assert main(["share", "--since", day.isoformat(), "--root", str(c.root)]) == 0
    out = capsys.readouterr().out
    listed = re.findall(r"^(\d{4}-\d\d-\d\d)  \S+  \S+  (\S+)$", out, re.M)
    expected = [n for n in every if n.updated >= day]
    assert [i for _, i in listed] == [n.id for n in expected]
    assert all(date.fromisoformat(d) >= day for d, _ in listed)


@pytest.mark.slow
def test_juli_share_builds_a_kit_for_an_item_outside_the_site(built_site, tmp_path, capsys):
    c = built_site.catalog
    item = news.everything(c)[-1]
    assert main(["share", item.id, "--root", str(c.root), "--site", str(tmp_path / "no-site")]) == 0
    out = capsys.readouterr().out
    folder = c.root / ".juli" / item.share_dir
    for name in FILES:
        assert (folder / name).is_file() and str(folder / name) in out
    assert main(["share", "no-such.item", "--root", str(c.root)]) == 1
    assert main(["share", "--root", str(c.root)]) == 2
