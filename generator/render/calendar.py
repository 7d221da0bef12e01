"""iCalendar (RFC 5545) files: one per event, and one of every upcoming event.

Deterministic: DTSTAMP is the entry's `updated` date, never the clock, and "upcoming" is measured
from the catalog's own newest date (`freshness.as_of`). Times are Beijing local time, written with
TZID=Asia/Shanghai and the VTIMEZONE that defines it; dates-only events are all-day events.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Iterable
from urllib.parse import urlsplit

from ..model import freshness, urls
from ..model import Catalog, Event
from . import Context, Output
from .markup import plain

TZID = "Asia/Shanghai"
VTIMEZONE = (
    "BEGIN:VTIMEZONE", f"TZID:{TZID}", "BEGIN:STANDARD", "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800", "TZOFFSETTO:+0800", "TZNAME:CST", "END:STANDARD", "END:VTIMEZONE",
)


def events(c: Catalog) -> list[Event]:
    return [e for e in c.resources if isinstance(e, Event)]


def ended(e: Event, c: Catalog) -> bool:
    """Whether the event is over by the catalog's own today (so it offers no calendar file to add)."""
    return e.end.date() < freshness.as_of(c)


def upcoming(c: Catalog) -> list[Event]:
    """Events that have not ended by the catalog's 'today', soonest first."""
    return sorted((e for e in events(c) if not ended(e, c)), key=lambda e: (e.start, e.uid))


def past(c: Catalog) -> list[Event]:
    return sorted((e for e in events(c) if ended(e, c)), key=lambda e: (e.start, e.uid), reverse=True)


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    for event in events(c):
        yield Output(urls.event_calendar(event), calendar(c, [event], ctx.base_url, event.title), tree="site")
    yield Output(urls.UPCOMING_CALENDAR, calendar(c, upcoming(c), ctx.base_url, f"{c.programme.site.title} · 即将举办的活动"),
                 tree="site")


def calendar(c: Catalog, items: list[Event], base_url: str, name: str) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//{text(c.programme.site.title)}//juli//ZH",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH", f"X-WR-CALNAME:{text(name)}", f"X-WR-TIMEZONE:{TZID}",
             *VTIMEZONE]
    for event in items:
        lines += vevent(c, event, base_url)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def vevent(c: Catalog, e: Event, base_url: str) -> list[str]:
    page = urls.absolute(base_url, urls.page(e))
    org = c.organization(e.org)
    if e.all_day:
        when = [f"DTSTART;VALUE=DATE:{e.start:%Y%m%d}", f"DTEND;VALUE=DATE:{e.end.date() + timedelta(days=1):%Y%m%d}"]
    else:
        when = [f"DTSTART;TZID={TZID}:{e.start:%Y%m%dT%H%M%S}", f"DTEND;TZID={TZID}:{e.end:%Y%m%dT%H%M%S}"]
    location = "线上" if e.online and not e.place else e.place
    description = f"{plain(e.summary)}\n主办：{org.name}\n详情：{page}"
    if e.registration_url:
        description += f"\n报名：{e.registration_url}"
    return [
        "BEGIN:VEVENT",
        f"UID:{urls.item_id(e)}@{urlsplit(base_url).hostname or 'juli'}",
        f"DTSTAMP:{e.updated:%Y%m%d}T000000Z",
        f"LAST-MODIFIED:{e.updated:%Y%m%d}T000000Z",
        *when,
        f"SUMMARY:{text(e.title)}",
        f"DESCRIPTION:{text(description)}",
        *([f"LOCATION:{text(location)}"] if location else []),
        f"CATEGORIES:{text(e.format.name)}",
        f"URL:{page}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]


def text(value: str) -> str:
    """An RFC 5545 TEXT value: backslash, semicolon, comma and newlines escaped."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str, limit: int = 75) -> str:
    """Fold a content line into chunks of at most 75 octets, never inside a UTF-8 character."""
    chunks, current, size = [], "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            chunks.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with one space
        current += ch
        size += width
    chunks.append(current)
    return "\r\n ".join(chunks)
