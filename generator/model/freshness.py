"""Which entries need review. Measured from the catalog's own newest date, never the clock, so the
same catalog always builds the same site; `juli report stale` may pass today's date instead."""

from __future__ import annotations

from datetime import date

from .derived import per_catalog
from . import Case, Catalog, Entry


@per_catalog
def as_of(catalog: Catalog) -> date:
    """The newest date any entry carries: the catalog's own 'today'."""
    dates = [e.updated for e in catalog.entries] + [c.last_changed for c in catalog.cases]
    return max(dates, default=date(2000, 1, 1))


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    return date(year, month, min(day.day, last[month - 1]))


def needs_review(item: Entry | Case, catalog: Catalog, today: date | None = None) -> bool:
    """Not updated within the review period (programme.yml `freshness.review_months`)."""
    today = today or as_of(catalog)
    changed = item.last_changed if isinstance(item, Case) else item.updated
    return changed < _months_before(today, catalog.programme.review_months)


def expired(item: Entry, catalog: Catalog, today: date | None = None) -> bool:
    today = today or as_of(catalog)
    return item.valid_until is not None and item.valid_until < today
