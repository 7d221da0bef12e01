"""What is new: the items the feeds and share kits publish, with their own dates, newest first.

One module so the feeds, the share kits, the editor's desk and `juli share` agree on which items are
in the window and in what order. Dates are the entries' own (never the clock), in Beijing time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cached_property
from typing import Iterable

from .. import urls
from ..model import Case, Catalog, Entry, Event, Organization
from . import markup

BEIJING = timezone(timedelta(hours=8))
SERVICE_LABEL = "服务产品"
CASE_LABEL = "典型案例"


@dataclass(frozen=True)
class News:
    """One publishable item (an entry or a case) seen from the publicity side."""

    item: Entry | Case
    org: Organization  # the owner: the organization whose folder holds the item
    base_url: str

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
        return self.item.date if isinstance(self.item, Case) else self.item.published

    @property
    def updated(self) -> date:
        return self.item.last_changed if isinstance(self.item, Case) else self.item.updated

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

    def file_url(self, name: str) -> str:
        return urls.absolute(self.base_url, self.share_dir + name)

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


def everything(catalog: Catalog) -> list[News]:
    """Every entry and case, newest first (by updated, then published, then id, so ties are stable)."""
    base = catalog.programme.site.base_url
    news = [News(e, catalog.organization(e.org), base) for e in catalog.entries]
    news += [News(c, catalog.organization(c.org), base) for c in catalog.cases]
    return sorted(news, key=News.sort_key)


def newest(news: Iterable[News]) -> date | None:
    return max((n.updated for n in news), default=None)


def window(catalog: Catalog, news: list[News], newest_day: date | None = None) -> list[News]:
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


def channels(catalog: Catalog) -> list[Channel]:
    """The site feed, one per kind and one per organization, each cut to the window on its own."""
    site = catalog.programme.site
    every = everything(catalog)
    newest_day = newest(every)

    def channel(slug: str, path: str, title: str, description: str, page: str, pick) -> Channel:
        items = window(catalog, [n for n in every if pick(n)], newest_day)
        rss, atom = (("feed.xml", "atom.xml") if path == "" else (f"{path}.xml", f"{path}.atom.xml"))
        return Channel(slug, rss, atom, title, description, page, tuple(items), items[0].updated if items else newest_day)

    found = [
        channel("all", "", f"{site.title}:最新服务、资源与案例", site.description or site.title, "", lambda n: True),
        channel("services", "feeds/services", f"{site.title}:服务产品", "新发布或更新的服务产品", "", lambda n: n.kind == "service"),
        channel("resources", "feeds/resources", f"{site.title}:资源", "新发布或更新的标准、平台、报告、活动等资源", "",
                lambda n: n.kind not in ("service", "case")),
        channel("events", "feeds/events", f"{site.title}:品牌活动", "新发布或更新的品牌活动", "", lambda n: n.is_event),
        channel("cases", "feeds/cases", f"{site.title}:典型案例", "新发布或更新的典型案例", "", lambda n: n.kind == "case"),
    ]
    for org in catalog.organizations:
        involved = {urls.item_id(c) for c in catalog.cases_of(org.id)}
        found.append(channel(
            f"org/{org.id}", f"feeds/org/{org.id}", f"{site.title}:{org.name}", f"{org.name}新发布或更新的服务、资源与案例",
            urls.page(org), lambda n, org=org, involved=involved: n.org.id == org.id or n.id in involved,
        ))
    return found


def kit_items(catalog: Catalog) -> list[News]:
    """Items that get a share kit: every item in any feed (so every enclosure resolves), newest first."""
    seen: dict[str, News] = {}
    for ch in channels(catalog):
        for n in ch.items:
            seen.setdefault(n.id, n)
    return sorted(seen.values(), key=News.sort_key)


def since(catalog: Catalog, day: date) -> list[News]:
    """Items published or updated on or after `day` (the last cross-posting round), newest first."""
    return [n for n in everything(catalog) if n.updated >= day]
