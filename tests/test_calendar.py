"""The iCalendar files parse as RFC 5545 and carry each event's own times, in Beijing time."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import yaml
from icalendar import Calendar, Event

from generator.model import freshness, urls
from generator.render import calendar


def parse(raw: bytes) -> Calendar:
    """The file as the icalendar library reads it, after checking RFC 5545's line rules it tolerates:
    CRLF line ends and at most 75 octets per physical line."""
    assert raw.endswith(b"\r\n")
    for line in raw[:-2].split(b"\r\n"):
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
    return Calendar.from_ical(raw)


@pytest.mark.slow
def test_every_event_has_a_calendar_with_its_own_times(built_site):
    c, site = built_site.catalog, built_site.site
    events = calendar.events(c)
    assert events
    for event in events:
        cal = parse((site / urls.event_calendar(event)).read_bytes())
        assert cal.name == "VCALENDAR" and str(cal["VERSION"]) == "2.0"
        (tz,) = cal.walk("VTIMEZONE")
        assert str(tz["TZID"]) == "Asia/Shanghai"
        (vevent,) = cal.walk("VEVENT")
        source = yaml.safe_load((c.root / event.source).read_text("utf-8"))
        start, end = str(source["start"]), str(source["end"])
        if len(start) == 10:
            assert vevent.decoded("DTSTART") == date.fromisoformat(start)
            assert vevent.decoded("DTEND") == date.fromisoformat(end) + timedelta(days=1)  # DTEND is exclusive
        else:
            beijing = ZoneInfo("Asia/Shanghai")
            assert vevent["DTSTART"].params["TZID"] == vevent["DTEND"].params["TZID"] == "Asia/Shanghai"
            assert vevent.decoded("DTSTART") == datetime.fromisoformat(start).replace(tzinfo=beijing)
            assert vevent.decoded("DTEND") > vevent.decoded("DTSTART")
        assert vevent.decoded("DTSTAMP") == datetime.combine(source["updated"], datetime.min.time(), timezone.utc)
        assert str(vevent["SUMMARY"]) == source["title"]
        assert str(vevent["URL"]) == urls.absolute(c.programme.site.base_url, urls.page(event))
        assert str(vevent["UID"]).startswith(urls.item_id(event) + "@")
        assert source["summary"].strip()[:10] in str(vevent["DESCRIPTION"])


@pytest.mark.slow
def test_upcoming_calendar_holds_exactly_the_events_not_yet_over(built_site):
    c, site = built_site.catalog, built_site.site
    today = freshness.as_of(c)
    vevents = parse((site / urls.UPCOMING_CALENDAR).read_bytes()).walk("VEVENT")
    expected = [e for e in calendar.events(c) if e.end.date() >= today]
    assert expected, "the sample has upcoming events"
    assert sorted(str(v["UID"]).split("@")[0] for v in vevents) == sorted(urls.item_id(e) for e in expected)
    assert len(calendar.past(c)) + len(vevents) == len(calendar.events(c))


def test_text_is_escaped_and_long_lines_fold_between_characters():
    assert calendar.text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = calendar.fold("SUMMARY:" + calendar.text("a;b,c\\d\ne")) + "\r\n"
    event = Event.from_ical(f"BEGIN:VEVENT\r\n{line}END:VEVENT\r\n")
    assert str(event["SUMMARY"]) == "a;b,c\\d\ne"
    line = "SUMMARY:" + "北京人工智能产业创新联盟;年度论坛," * 10
    folded = calendar.fold(line).encode("utf-8")
    for part in folded.split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")
    assert folded.replace(b"\r\n ", b"") == line.encode("utf-8")
