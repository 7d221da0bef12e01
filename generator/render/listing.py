"""The compact listing JSON behind the directory and case filters.

Each facet's terms are written once; each item is `[title, link, codes…]` with one integer (or a list
of integers) per facet, indexing that facet's terms. Filtering therefore never loads the full-text
search index, and the file grows by roughly a hundred bytes per entry.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Sequence

from ..model import urls
from ..model import Catalog, Entry, Term
from ..schemas import fields as kinds

PAGE_SIZE = 50  # cards per static page, and per "显示更多" step of the filter script
PAGER_WINDOW = 2  # page links either side of the current page's number
DIRECTORY_PAGE = "directory/"
DIRECTORY_JSON = "entries.json"  # next to the page: `directory/entries.json`
CASES_PAGE = "cases/"
KIND_FACET_ORDER = 4  # the kind filter comes after what a reader needs first (x-facet orders 1–3)
CASES_JSON = "cases.json"


@dataclass(frozen=True)
class Facet:
    key: str  # the query-string parameter
    label: str
    terms: tuple[tuple[str, str], ...]  # (id for the URL, Chinese name)
    values: Callable[[object], Sequence[str]]  # the term ids of an item


@dataclass(frozen=True)
class Card:
    title: str
    path: str  # site path of the item's page
    meta: str


@dataclass(frozen=True)
class FacetView:
    """A facet as the filter sheet prints it: label, key and each term with how many items carry it."""

    key: str
    label: str
    terms: tuple[tuple[str, str, int], ...]  # (id, name, count)
    open: bool  # shown unfolded in the sheet


@dataclass(frozen=True)
class Listing:
    page: str
    facets: tuple[Facet, ...]
    items: tuple[object, ...]
    card_facets: tuple[int, ...]  # the facets whose terms a card shows under the title
    open_facets: tuple[str, ...] = ()  # facet keys the sheet shows unfolded: the ones readers use most

    @cached_property
    def _index(self) -> list[dict[str, int]]:
        return [{term_id: i for i, (term_id, _) in enumerate(f.terms)} for f in self.facets]

    def codes(self, item) -> list:
        """Per facet, the item's term codes: one integer, or a list when it has none or several."""
        out = []
        for facet, index in zip(self.facets, self._index):
            values = [index[v] for v in facet.values(item)]
            out.append(values[0] if len(values) == 1 else values)
        return out

    def cards(self, limit: int | None = None, start: int = 0) -> list[Card]:
        return [self.card(item) for item in self.items[start:limit]]

    def page_paths(self) -> list[str]:
        """The static pages that list every item without JavaScript: the listing itself, then `page/2/`…"""
        pages = max(1, -(-len(self.items) // PAGE_SIZE))
        return [self.page] + [f"{self.page}page/{n}/" for n in range(2, pages + 1)]

    def facet_views(self) -> list[FacetView]:
        """The filter sheet's content, printed into the page so nothing moves when the script starts."""
        views = []
        for facet in self.facets:
            counts = dict.fromkeys((t for t, _ in facet.terms), 0)
            for item in self.items:
                for v in facet.values(item):
                    counts[v] += 1
            views.append(FacetView(facet.key, facet.label, tuple((t, n, counts[t]) for t, n in facet.terms),
                                   facet.key in self.open_facets))
        return views

    def card(self, item) -> Card:
        parts = []
        for f in self.card_facets:
            names = dict(self.facets[f].terms)
            parts.append("、".join(names[v] for v in self.facets[f].values(item)))
        return Card(item.title, urls.page(item), " · ".join(p for p in parts if p))

    def to_json(self) -> bytes:
        data = {
            "facets": [{"key": f.key, "label": f.label, "terms": [list(t) for t in f.terms]} for f in self.facets],
            "card": list(self.card_facets),
            "items": [[item.title, urls.relative(self.page, urls.page(item)), *self.codes(item)] for item in self.items],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pager(number: int, count: int) -> list[int | None]:
    """The page numbers a pager on page `number` of `count` links: the first, the last and PAGER_WINDOW
    either side of `number`, None where numbers are left out (printed as …). A catalog of 10,000 entries
    has 200 static pages, and 200 links on each page were most of its markup."""
    shown = sorted({1, count, *range(max(1, number - PAGER_WINDOW), min(count, number + PAGER_WINDOW) + 1)})
    out: list[int | None] = []
    previous = 0
    for n in shown:
        if n - previous == 2:
            out.append(previous + 1)
        elif n - previous > 2:
            out.append(None)
        out.append(n)
        previous = n
    return out


def _terms(vocabulary, items, values) -> tuple[tuple[str, str], ...]:
    """The vocabulary's terms, in taxonomy order, that at least one item uses (so no filter is empty)."""
    used = {v for item in items for v in values(item)}
    return tuple((t.id, t.name) for t in vocabulary if t.id in used)


def _facet(key, label, vocabulary, items, values) -> Facet | None:
    terms = _terms(vocabulary, items, values)
    return Facet(key, label, terms, values) if terms else None


def _ids(attribute: str) -> Callable[[object], list[str]]:
    """The term ids of an item's field, one term or several; none where its kind lacks the field."""
    def ids(item) -> list[str]:
        value = getattr(item, attribute, None)
        if value is None:
            return []
        return [value.id] if isinstance(value, Term) else [t.id for t in value]
    return ids


class _Pseudo:
    """A (id, name) pair standing in for a taxonomy term, for facets built from other lists."""

    def __init__(self, id: str, name: str):
        self.id, self.name = id, name


def kind_id(entry: Entry) -> str:
    return entry.kind


def kind_name(entry: Entry, catalog: Catalog) -> str:
    return kinds.kind_names(catalog.taxonomy)[entry.kind]


def label(catalog: Catalog, name: str, title: str) -> str:
    """A field's label: the programme's wording for it (`labels:` in programme.yml), else its schema title."""
    return catalog.programme.wording.label(name, title)


def newest_first(items, changed: Callable) -> tuple:
    return tuple(sorted(items, key=lambda i: (-changed(i).toordinal(), i.uid)))


def directory(c: Catalog) -> Listing:
    items = newest_first(c.entries, lambda e: e.updated)
    t = c.taxonomy
    names = kinds.kind_names(t)
    kind_terms = [_Pseudo(k, names[k]) for k in kinds.entry_kinds() if k in names]
    orgs = [_Pseudo(o.id, o.short_name) for o in c.organizations]
    declared = [(d.order, _facet(d.key, label(c, d.field, d.title), t.terms(d.vocabulary), items, _ids(d.field)))
                for d in kinds.facets()]
    kind = _facet("kind", "类型", kind_terms, items, lambda e: [kind_id(e)])
    candidates = ([f for order, f in declared if order < KIND_FACET_ORDER] + [kind]
                  + [f for order, f in declared if order >= KIND_FACET_ORDER])
    candidates.append(_facet("org", "提供组织", orgs, items, lambda e: [e.org]))
    facets = tuple(f for f in candidates if f)
    keys = [f.key for f in facets]
    card = tuple(keys.index(k) for k in ("kind", "org", "fee") if k in keys)
    return Listing(DIRECTORY_PAGE, facets, items, card, ("service", "district", "fee"))


def cases(c: Catalog) -> Listing:
    items = newest_first(c.cases, lambda k: k.date)
    t = c.taxonomy
    orgs = [_Pseudo(o.id, o.short_name) for o in c.organizations]
    candidates = [
        _facet("field", "产业领域", t.terms("fields"), items, _ids("fields")),
        _facet("capability", "核心服务能力", t.terms("capabilities"), items, _ids("capabilities")),
        _facet("park", label(c, "parks", kinds.field(kinds.SERVICE, "parks").title), t.terms("parks"), items,
               _ids("parks")),
        _facet("org", "参与组织", orgs, items, lambda k: list(k.organizations)),
    ]
    facets = tuple(f for f in candidates if f)
    keys = [f.key for f in facets]
    card = tuple(keys.index(k) for k in ("org", "field") if k in keys)
    return Listing(CASES_PAGE, facets, items, card, ("field",))
