"""RSS 2.0 and Atom feeds (feedgen) of what is new: the whole site, each kind, each organization.

Every item keeps one id for life (a `tag:` URI from `urls.item_id`), carries its own dates in Beijing
time and its cover as an enclosure. feedgen stamps the clock into lastBuildDate/updated and prepends
entries unless told otherwise: both are set here, so the same catalog builds byte-identical feeds.
"""

from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator
from lxml import etree

from ..model import urls
from . import Context, Output
from .news import Channel, News, beijing, channels, preview_image
from .share import Kits

ID_YEAR = "2022"  # the year of the policy; part of every feed id, so it must never change
ATOM = "http://www.w3.org/2005/Atom"


def tag(base_url: str, specific: str) -> str:
    """A tag: URI (RFC 4151) on the site's domain: stable across edits and rebuilds."""
    return f"tag:{urlsplit(base_url).hostname},{ID_YEAR}:{specific}"


def item_tag(base_url: str, news: News) -> str:
    return tag(base_url, urls.item_id(news.item))


class _Feed:
    """One channel as a feedgen feed; `rss()` and `atom()` serialise it."""

    def __init__(self, ctx: Context, channel: Channel, kits: Kits):
        base = ctx.base_url
        site = ctx.catalog.programme.site
        fg = FeedGenerator()
        fg.id(tag(base, f"feed/{channel.slug}"))
        fg.title(channel.title)
        fg.subtitle(channel.description)
        fg.description(channel.description)
        fg.language("zh-CN")
        fg.author({"name": site.host, "email": site.contact})
        fg.generator(site.title, uri=base)
        if channel.as_of is not None:
            fg.updated(beijing(channel.as_of))  # sets lastBuildDate too: the newest item's date, never the clock
        for news in channel.items:
            self._entry(fg.add_entry(order="append"), news, base, kits)
        self.fg = fg
        self.channel = channel
        self.base = base
        self.kits = kits

    @staticmethod
    def _entry(fe, news: News, base: str, kits: Kits) -> None:
        fe.id(item_tag(base, news))
        fe.guid(item_tag(base, news), permalink=False)
        fe.title(news.title)
        fe.link(href=news.link, rel="alternate")
        fe.summary(news.summary, type="text")
        fe.published(news.published_at)
        fe.updated(news.updated_at)
        fe.author({"name": news.org.name})
        for name in news.categories:
            fe.category(term=name, label=name)
        fe.enclosure(**{"url" if k == "href" else k: v for k, v in _enclosure(news, kits).items() if k != "rel"})

    def rss(self) -> Output:
        self._links(self.channel.rss)
        return Output(self.channel.rss, self.fg.rss_str(pretty=True), tree="site")

    def atom(self) -> Output:
        self._links(self.channel.atom)
        root = etree.fromstring(self.fg.atom_str())
        # feedgen 1.0 drops the attributes of entry links (rel, type, length): put them back, or the
        # cover would read as a second alternate link instead of an enclosure
        for entry, news in zip(root.findall(f"{{{ATOM}}}entry"), self.channel.items, strict=True):
            alternate, enclosure = entry.findall(f"{{{ATOM}}}link")
            alternate.attrib.update({"rel": "alternate", "type": "text/html"})
            enclosure.attrib.update(_enclosure(news, self.kits))
        data = etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        return Output(self.channel.atom, data, tree="site")

    def _links(self, path: str) -> None:
        """The feed's own absolute address (rel="self") and the page it belongs to (feedgen gives RSS
        the last link, which must be the page)."""
        self.fg.link([{"href": urls.absolute(self.base, path), "rel": "self"},
                      {"href": urls.absolute(self.base, self.channel.page), "rel": "alternate"}], replace=True)


def _enclosure(news: News, kits: Kits) -> dict[str, str]:
    """The item's preview image (the Open Graph image of its page: its wide cover in the feeds' window,
    the site's cover before it) as an enclosure, with its size in bytes."""
    href = urls.absolute(news.base_url, preview_image(kits.ctx.catalog, news.item))
    return {"href": href, "rel": "enclosure", "type": "image/jpeg", "length": str(len(kits.preview(news)))}


def render(ctx: Context) -> Iterable[Output]:
    kits = Kits.of(ctx)
    for channel in channels(ctx.catalog):
        feed = _Feed(ctx, channel, kits)
        yield feed.rss()
        yield feed.atom()
