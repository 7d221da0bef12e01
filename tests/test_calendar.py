"""The iCalendar files parse as RFC 5545 and carry each event's own times, in Beijing time."""

from __future__ import annotations

import pytest
from datetime import datetime, timedelta

import yaml

from generator.model import freshness, urls
from generator.render import calendar


def parse(raw: bytes) -> list[tuple[str, dict[str, str], str]]:
    """A small RFC 5545 reader: CRLF lines of at most 75 octets, unfolded, split into (name, params, value)."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    for line in physical:
        assert len(line) <= 75, line
        assert b"\n" not in line and b"\r" not in line
    logical: list[bytes] = []
    for line in physical:
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    lines = []
    for line in (item.decode("utf-8") for item in logical):  # folding never split a character
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        lines.append((name, dict(p.split("=", 1) for p in params), value))
    return lines


def unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            out.append({"n": "\n", "N": "\n"}.get(text[i + 1], text[i + 1]))
            i += 2
        else:
            assert text[i] not in ";,", f"unescaped {text[i]!r} in {text!r}"
            out.append(text[i])
            i += 1
    return "".join(out)


def components(lines, kind):
    found, current = [], None
    for name, params, value in lines:
        if name == "BEGIN" and value == kind:
            current = {}
        elif name == "END" and value == kind:
            found.append(current)
            current = None
        elif current is not None:
            current[name] = (params, value)
    return found


@pytest.mark.slow
def test_every_event_has_a_calendar_with_its_own_times(built_site):
    c, site = built_site.catalog, built_site.site
    events = calendar.events(c)
    assert events
    for event in events:
        lines = parse((site / urls.event_calendar(event)).read_bytes())
        assert lines[0] == ("BEGIN", {}, "VCALENDAR") and lines[-1] == ("END", {}, "VCALENDAR")
        assert ("VERSION", {}, "2.0") in lines
        begins = [v for n, _, v in lines if n == "BEGIN"]
        assert begins.count("VTIMEZONE") == 1 and [v for n, _, v in lines if n == "END"].count("VEVENT") == 1
        tz = components(lines, "VTIMEZONE")[0]
        assert tz["TZID"][1] == "Asia/Shanghai"
        (vevent,) = components(lines, "VEVENT")
        source = yaml.safe_load((c.root / event.source).read_text("utf-8"))
        start, end = str(source["start"]), str(source["end"])
        if len(start) == 10:
            assert vevent["DTSTART"] == ({"VALUE": "DATE"}, start.replace("-", ""))
            last = datetime.strptime(end, "%Y-%m-%d") + timedelta(days=1)
            assert vevent["DTEND"] == ({"VALUE": "DATE"}, last.strftime("%Y%m%d"))
        else:
            expected = datetime.strptime(start.replace("T", " "), "%Y-%m-%d %H:%M").strftime("%Y%m%dT%H%M%S")
            assert vevent["DTSTART"] == ({"TZID": "Asia/Shanghai"}, expected)
            assert vevent["DTEND"][0] == {"TZID": "Asia/Shanghai"}
        assert vevent["DTSTAMP"][1] == f"{str(source['updated']).replace('-', '')}T000000Z"
        assert unescape(vevent["SUMMARY"][1]) == source["title"]
        assert vevent["URL"][1] == urls.absolute(c.programme.site.base_url, urls.page(event))
        assert vevent["UID"][1].startswith(urls.item_id(event) + "@")
        assert source["summary"].strip()[:10] in unescape(vevent["DESCRIPTION"][1])


@pytest.mark.slow
def test_upcoming_calendar_holds_exactly_the_events_not_yet_over(built_site):
    c, site = built_site.catalog, built_site.site
    today = freshness.as_of(c)
    vevents = components(parse((site / urls.UPCOMING_CALENDAR).read_bytes()), "VEVENT")
    expected = [e for e in calendar.events(c) if e.end.date() >= today]
    assert expected, "the sample has upcoming events"
    assert sorted(v["UID"][1].split("@")[0] for v in vevents) == sorted(urls.item_id(e) for e in expected)
    assert len(calendar.past(c)) + len(vevents) == len(calendar.events(c))


def test_text_is_escaped_and_long_lines_fold_between_characters():
    assert calendar.text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"
    line = "SUMMARY:" + "北京人工智能产业创新联盟;年度论坛," * 10
    folded = calendar.fold(line).encode("utf-8")
    for part in folded.split(b"\r\n"):
        assert len(part) <= 75
        part.decode("utf-8")
    assert folded.replace(b"\r\n ", b"") == line.encode("utf-8")
