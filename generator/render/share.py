"""Share kits: for every item in the feeds, `share/<item-id>/` holds ready-to-post files with stable
names (weibo.txt, weibo-long.txt, wechat.html, cover-wide.jpg, cover-square.jpg, qr.png), and
`share/index.html` is the editor's desk that lists them (not linked from the public navigation), and
`share/<item-id>/index.html` shows one kit with its copy button: the desk stays a short list (a few KB an
item) however many kits the window holds.
Items outside the feeds' window (`news.window_ids`) get no kit: their pages preview with the site's
cover, `share/site-cover.jpg`. Each kit's texts and covers are kept in the build's store (`Context.memo_all`),
so an unchanged item costs a read, not a drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from importlib import resources
from typing import Iterable

from markupsafe import Markup

from ..load import fonts
from ..model import Case, Event, Programme, Taxonomy
from ..schemas import fields as kinds
from . import Context, Output, covers, markup, wechat, weibo
from .news import COVER, SITE_COVER, News, channels, kit_items
from .templating import render as render_template

FILES = ("weibo.txt", "weibo-long.txt", "wechat.html", "cover-wide.jpg", "cover-square.jpg", "qr.png")
DESK = "share/index.html"
DESK_ASSETS = ("share/desk.css", "share/desk.js")  # one stylesheet and script for the desk and every kit page


def _when(event: Event) -> str:
    if event.all_day:
        start, end = event.start.date().isoformat(), event.end.date().isoformat()
        return start if start == end else f"{start} 至 {end}"
    if event.start.date() == event.end.date():
        return f"{event.start:%Y-%m-%d %H:%M}–{event.end:%H:%M}"
    return f"{event.start:%Y-%m-%d %H:%M} 至 {event.end:%Y-%m-%d %H:%M}"


def _names(terms) -> str:
    return "、".join(t.name for t in terms)


def _fact(item, f) -> str:
    """A declared field as a post states it: term names, dates ISO, numbers with their unit."""
    value = getattr(item, f.name)
    if value is None or value == "" or value == ():
        return ""
    if f.shape == "terms":
        text = _names(value)
    elif f.shape == "term":
        text = value.name
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, tuple):
        text = "、".join(value)
    else:
        text = f"{value} {f.unit}" if f.unit else str(value)
    extra = getattr(item, f.companion, "") if f.companion else ""
    return f"{text}\uff08{extra}\uff09" if extra else text


def facts(item) -> list[tuple[str, str]]:
    """The few facts a post states besides title and summary: the fields its kind's schema marks
    `x-share` (label, plain value); an event's time and place; a case's figures."""
    rows: list[tuple[str, str]] = []
    if isinstance(item, Event):
        rows += [("时间", _when(item)), ("形式", item.format.name), ("地点", item.place or ("线上" if item.online else ""))]
    elif isinstance(item, Case):
        rows += [("服务企业", f"{item.enterprises_served} 家" if item.enterprises_served else "")]
        rows += [(f.label, f"{f.value:g}{f.unit}") for f in item.figures]
    else:
        rows += [(f.title, _fact(item, f)) for f in kinds.share_facts(item.kind) if f.shape != "markdown"]
    rows.append(("领域", _names(item.fields)))
    return [(label, value) for label, value in rows if value]


def links(item) -> list[tuple[str, str]]:
    """External addresses worth giving (label, URL): in WeChat they become footnotes."""
    found = [("报名", getattr(item, "registration_url", "")), ("申请", getattr(item, "apply_url", "")),
             ("报告下载", getattr(item, "document_url", "")), ("官网", getattr(item, "url", ""))]
    return [(label, url) for label, url in found if url]


def sections(item) -> list[tuple[str, str]]:
    """The article's Markdown sections (heading, text), in reading order: the description, then the
    Markdown fields the kind's schema marks `x-share`."""
    if isinstance(item, Case):
        return [(h, t) for h, t in (("背景与问题", item.problem), ("做法", item.approach), ("成效", item.effects),
                                    ("", item.body)) if t and t.strip()]
    found = [("详细介绍", item.description)]
    found += [(f.title, getattr(item, f.name)) for f in kinds.share_facts(item.kind) if f.shape == "markdown"]
    return [(h, t) for h, t in found if t and t.strip()]


@dataclass(frozen=True)
class Kit:
    news: News
    short: weibo.Post
    long: weibo.Post
    article: wechat.Article
    data: dict[str, bytes]  # FILES, name → bytes

    @property
    def status(self) -> str:
        return "新发布" if self.news.published == self.news.updated else "更新"

    def files(self) -> dict[str, bytes]:
        return self.data


class Kits:
    """The share kits of one build; each is made (or taken from the store) once per item."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.items = kit_items(ctx.catalog)
        self._kits: dict[str, Kit] = {}

    @classmethod
    def of(cls, ctx: Context) -> "Kits":
        """One `Kits` per build, shared by the share and feed renderers."""
        return ctx.once(cls)

    @cached_property
    def font(self) -> fonts.FontFile:
        return fonts.find_font(self.ctx.catalog.programme.share.font, self.ctx.root)

    def _spec(self, news: News) -> covers.CoverSpec:
        programme = self.ctx.catalog.programme
        return covers.CoverSpec.of(news.title, news.org.name, news.org.short_name, news.kind_label,
                                   programme.site.title, news.org.logo, programme.share, self._phrases)

    @cached_property
    def _phrases(self) -> frozenset[str]:
        """What a cover's title never breaks inside: every taxonomy term and organization short name."""
        c = self.ctx.catalog
        return frozenset([t.name for terms in c.taxonomy.vocabularies.values() for t in terms]
                         + [o.short_name for o in c.organizations])

    @cached_property
    def site_cover(self) -> bytes:
        """The wide cover of the site itself: the preview image of every item outside the window."""
        programme = self.ctx.catalog.programme
        site = programme.site
        spec = covers.CoverSpec.of(site.subtitle or site.title, site.host, site.host, site.topic or site.title,
                                   site.title, None, programme.share)
        return self.ctx.store.call(_covers, spec, self.font).wide

    def preview(self, news: News) -> bytes:
        """The bytes of the image `news.preview_image` names."""
        return self.kit(news).data[COVER] if news.id in self._window else self.site_cover

    @cached_property
    def _window(self) -> set[str]:
        return {n.id for n in self.items}

    def kit(self, news: News) -> Kit:
        if news.id not in self._kits:
            self.make([news])
        return self._kits[news.id]

    def make(self, items: list[News]) -> list[Kit]:
        """The kits of `items`: texts and covers each from the store when made before (a new summary
        keeps the cover), missing ones made in parallel."""
        todo = [n for n in items if n.id not in self._kits]
        texts = self.ctx.memo_all(_texts, [(n,) for n in todo])
        drawn = self.ctx.memo_all(_covers, [(self._spec(n), self.font) for n in todo])
        for news, (short, long, article, files), made in zip(todo, texts, drawn):
            files = {**files, COVER: made.wide, "cover-square.jpg": made.square}
            self._kits[news.id] = Kit(news, short, long, article, {name: files[name] for name in FILES})
        return [self._kits[n.id] for n in items]


def _covers(programme: Programme, taxonomy: Taxonomy, spec: covers.CoverSpec, font: fonts.FontFile) -> covers.Covers:
    return covers.covers(spec, font)


def _texts(programme: Programme, taxonomy: Taxonomy, news: News
           ) -> tuple[weibo.Post, weibo.Post, wechat.Article, dict[str, bytes]]:
    """An item's posts, article and QR code: everything of its kit but the covers."""
    item = news.item
    topic = programme.site.topic
    short = weibo.short_post(news.title, news.summary, news.org.short_name, news.link, topic)
    details = [f"{label}\uff1a{value}" for label, value in facts(item)]
    details += [f"{label}\uff1a{url}" for label, url in links(item)]
    details += [markup.plain(text) for _, text in sections(item)]
    long = weibo.long_post(news.title, news.summary, details, news.org.name, news.link, topic)
    article = _article(programme, news)
    files = {"weibo.txt": (short.text + "\n").encode(), "weibo-long.txt": (long.text + "\n").encode(),
             "wechat.html": article.html.encode(), "qr.png": covers.qr_png(news.link)}
    return short, long, article, files


def _article(programme: Programme, news: News) -> wechat.Article:
    band = programme.share.band
    title, digest, warnings = wechat.title_and_digest(news.title, news.summary)
    notes = wechat.Footnotes()
    body = [(heading, Markup(wechat.body_html(text, notes, band))) for heading, text in sections(news.item)]
    link_rows = [(label, url, notes.number(url)) for label, url in links(news.item)]
    html = render_template(
        "share/wechat.html", news=news, title=title, digest=digest, facts=facts(news.item), body=body,
        links=link_rows, footnotes=list(enumerate(notes.urls, 1)), band=band, programme=programme,
    )
    return wechat.Article(title, digest, html, news.link, warnings)


def window_start(ctx: Context) -> date | None:
    """The oldest date in the site feed: the desk's default 'since'."""
    main = next(ch for ch in channels(ctx.catalog) if ch.slug == "all")
    return main.items[-1].updated if main.items else None


def render(ctx: Context) -> Iterable[Output]:
    kits = Kits.of(ctx)
    made = kits.make(kits.items)
    programme = ctx.catalog.programme
    for kit in made:
        for name in FILES:
            yield Output(kit.news.share_dir + name, kit.data[name], tree="site")
        page = render_template("share/kit.html", kit=kit, programme=programme, files=FILES, up="../")
        yield Output(kit.news.share_dir + "index.html", page.encode(), tree="site")
    yield Output(SITE_COVER, kits.site_cover, tree="site")
    start = window_start(ctx)
    html = render_template("share/desk.html", kits=made, since=start.isoformat() if start else "",
                           programme=programme, up="")
    yield Output(DESK, html.encode(), tree="site")
    css, js = DESK_ASSETS
    yield Output(css, render_template(css, share=programme.share).encode(), tree="site")
    yield Output(js, resources.files("generator").joinpath("assets", js).read_bytes(), tree="site")
