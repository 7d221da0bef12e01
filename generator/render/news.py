"""What is new: the items the feeds and share kits publish, with their publicity dates, newest first.

One module so the feeds, the share kits, the editor's desk and `juli share` agree on which items are
in the window and in what order. An item is published when it first appeared in the catalog: the day of
the oldest commit that added its file (`changes.first_seen`); without a git history, its own date
(`published`, or a case's `date`, which is when the story happened and may be long before). It is
updated on its own `updated` date, or when published if that is later. Never the clock; Beijing time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from typing import Iterable

from ..model import urls
from ..model import Case, Catalog, Entry, Event, Organization
from ..schemas import fields as kinds
from ..model.derived import per_catalog
from . import markup
from .changes import first_seen

COVER = "cover-wide.jpg"  # in each share kit; the page's and the feed entries' preview image
SITE_COVER = "share/site-cover.jpg"  # the preview image of items outside the feeds' window
BEIJING = timezone(timedelta(hours=8))
SERVICE_LABEL = kinds.file_title(kinds.SERVICE)
CASE_LABEL = "典型案例"


@dataclass(frozen=True)
class News:
    """One publishable item (an entry or a case) seen from the publicity side."""

    item: Entry | Case
    org: Organization  # the owner: the organization whose folder holds the item
    base_url: str
    first_seen: date | None = None  # when its file first appeared in the catalog's git history

    @property
    def id(self) -> str:
        return urls.item_id(self.item)

    @property
    def kind(self) -> str:
        """`service`, a resource kind id (`standard`, `event`…) or `case`."""
        return self.item.kind

    @property
    def kind_label(self) -> str:
        if isinstance(self.item, Case):
            return CASE_LABEL
        if self.kind == "service":
            return SERVICE_LABEL
        return self.item.resource_kind.name

    @property
    def title(self) -> str:
        return " ".join(self.item.title.split())

    @cached_property
    def summary(self) -> str:
        return markup.plain(self.item.summary)

    @property
    def published(self) -> date:
        if self.first_seen is not None:
            return self.first_seen
        return self.item.date if isinstance(self.item, Case) else self.item.published

    @property
    def updated(self) -> date:
        own = self.item.last_changed if isinstance(self.item, Case) else self.item.updated
        return max(own, self.published)

    @property
    def published_at(self) -> datetime:
        return beijing(self.published)

    @property
    def updated_at(self) -> datetime:
        return beijing(self.updated)

    @property
    def link(self) -> str:
        return urls.absolute(self.base_url, urls.page(self.item))

    @property
    def share_dir(self) -> str:
        return urls.share_dir(self.item)

    @property
    def is_event(self) -> bool:
        return isinstance(self.item, Event)

    @property
    def categories(self) -> tuple[str, ...]:
        """Kind, fields and capabilities, by their Chinese names, without repeats."""
        names = [self.kind_label, *(t.name for t in self.item.fields), *(t.name for t in self.item.capabilities)]
        return tuple(dict.fromkeys(names))

    def sort_key(self) -> tuple:
        return (-self.updated.toordinal(), -self.published.toordinal(), self.id)


def beijing(day: date) -> datetime:
    """A calendar date as the start of that day in Beijing (+08:00), so feeds never show the build time."""
    return datetime.combine(day, time(0, 0), tzinfo=BEIJING)


@per_catalog
def everything(catalog: Catalog) -> tuple[News, ...]:
    """Every entry and case, newest first (by updated, then published, then id, so ties are stable)."""
    base = catalog.programme.site.base_url
    seen = first_seen(catalog.root) or {}
    news = [News(e, catalog.organization(e.org), base, seen.get(e.source)) for e in catalog.entries]
    news += [News(c, catalog.organization(c.org), base, seen.get(c.source)) for c in catalog.cases]
    return tuple(sorted(news, key=News.sort_key))


def newest(news: Iterable[News]) -> date | None:
    return max((n.updated for n in news), default=None)


def window(catalog: Catalog, news: Iterable[News], newest_day: date | None = None) -> list[News]:
    """The feeds' window: at most `feeds.max_items` items changed within `feeds.days` days of the newest
    item of the whole catalog (not of the clock, so an old catalog still has feeds)."""
    settings = catalog.programme.feeds
    newest_day = newest_day or newest(everything(catalog))
    if newest_day is None:
        return []
    start = newest_day - timedelta(days=settings.days)
    return [n for n in news if n.updated >= start][: settings.max_items]


@dataclass(frozen=True)
class Channel:
    """One feed: its slug, where its two formats live, its title and its items."""

    slug: str
    rss: str
    atom: str
    title: str
    description: str
    page: str  # the site page the feed belongs to (site-relative)
    items: tuple[News, ...]
    as_of: date | None  # its newest item's date (the catalog's newest when empty): the feed's updated date
    site_wide: bool = True  # the site feed and the per-kind feeds; False for one organization's feed


@per_catalog
def channels(catalog: Catalog) -> tuple[Channel, ...]:
    """The site feed, one per kind and one per organization, each cut to the window on its own."""
    site = catalog.programme.site
    every = everything(catalog)
    newest_day = newest(every)

    def channel(slug: str, path: str, title: str, description: str, page: str, items: Iterable[News],
                site_wide: bool = True) -> Channel:
        items = window(catalog, items, newest_day)
        rss, atom = (("feed.xml", "atom.xml") if path == "" else (f"{path}.xml", f"{path}.atom.xml"))
        return Channel(slug, rss, atom, title, description, page, tuple(items),
                       items[0].updated if items else newest_day, site_wide)

    found = [
        channel("all", "", f"{site.title}：最新服务、资源与案例", site.description or site.title, "", every),
        channel("services", "feeds/services", f"{site.title}：{SERVICE_LABEL}", f"新发布或更新的{SERVICE_LABEL}", "",
                (n for n in every if n.kind == "service")),
        channel("resources", "feeds/resources", f"{site.title}：资源", "新发布或更新的标准、平台、报告、活动等资源", "",
                (n for n in every if n.kind not in ("service", "case"))),
        channel("events", "feeds/events", f"{site.title}：品牌活动", "新发布或更新的品牌活动", "",
                (n for n in every if n.is_event)),
        channel("cases", "feeds/cases", f"{site.title}：典型案例", "新发布或更新的典型案例", "",
                (n for n in every if n.kind == "case")),
    ]
    # One pass over the items instead of one per organization: an organization's feed holds its own
    # items and the cases it took part in, newest first like `every`.
    involved: dict[str, list[News]] = {org.id: [] for org in catalog.organizations}
    for n in every:
        owners = dict.fromkeys((n.org.id, *n.item.organizations) if isinstance(n.item, Case) else (n.org.id,))
        for org_id in owners:
            involved[org_id].append(n)
    for org in catalog.organizations:
        found.append(channel(
            f"org/{org.id}", f"feeds/org/{org.id}", f"{site.title}：{org.name}", f"{org.name}新发布或更新的服务、资源与案例",
            urls.page(org), involved[org.id], site_wide=False,
        ))
    return tuple(found)


@per_catalog
def window_ids(catalog: Catalog) -> frozenset[str]:
    """The ids of the items in the feeds' window: those of the site feed and the per-kind feeds, the
    feeds the communications team posts from. The one place that decides which items get a share kit
    and preview with their own cover; an organization's feed may reach further back, and its older
    items preview with the site's cover. At most five windows of `feeds.max_items`, whatever the
    catalog's size."""
    return frozenset(n.id for ch in channels(catalog) if ch.site_wide for n in ch.items)


def in_window(catalog: Catalog, item: Entry | Case) -> bool:
    return urls.item_id(item) in window_ids(catalog)


def preview_image(catalog: Catalog, item: Entry | Case) -> str:
    """The site path of the image an item's page and feed entries preview with: its own wide cover when
    it is in the window (its share kit holds it), else the site's cover."""
    return urls.share_dir(item) + COVER if in_window(catalog, item) else SITE_COVER


def kit_items(catalog: Catalog) -> list[News]:
    """Items that get a share kit: the feeds' window, newest first."""
    ids = window_ids(catalog)
    return [n for n in everything(catalog) if n.id in ids]


def since(catalog: Catalog, day: date) -> list[News]:
    """Items published or updated on or after `day` (the last cross-posting round), newest first."""
    return [n for n in everything(catalog) if n.updated >= day]
