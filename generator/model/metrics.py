"""What is counted, in one place: profiles, the ecosystem map and the progress page all read these
figures, so a number means the same thing wherever it appears.

Two sources are kept apart and always named: **catalog** figures count the entries published in the
catalog (what anyone can look up), **annual figures** are the totals each organization reports in its
`figures.yml` (what it did that year, listed or not). They are shown side by side, never added up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from .derived import per_catalog
from . import Catalog, Entry, Organization, Term, YearFigures
from ..schemas import fields as kinds

CATALOG = "catalog"
FIGURES = "figures"
SOURCE_NAMES = {CATALOG: "目录条目", FIGURES: "年度数据"}
SOURCE_NOTES = {
    CATALOG: "按本目录中已发布的条目计数（服务产品、资源、组织），可逐条查阅。",
    FIGURES: "各组织在 figures.yml 中填报的年度服务数据之和，含未在目录中逐条列出的工作。",
}
# Standards count towards the targets once issued; drafts and withdrawn standards do not.
ISSUED_STANDARD_STATUSES = ("published", "in-force")


# ---------------------------------------------------------------------------------------------
# What an organization offers, per core capability


@dataclass(frozen=True)
class Offer:
    """A kind of thing an organization offers: its services, or one kind of resource."""

    id: str
    name: str


def offer_of(entry: Entry) -> str:
    return entry.kind


def offers(catalog: Catalog) -> tuple[Offer, ...]:
    names = kinds.kind_names(catalog.taxonomy)
    return tuple(Offer(k, names[k]) for k in kinds.entry_kinds() if k in names)


@dataclass(frozen=True)
class Coverage:
    """One core capability of one organization: how many of each offer its entries bring to it."""

    capability: Term
    counts: dict[str, int]
    entries: tuple[Entry, ...]

    @property
    def total(self) -> int:
        return len(self.entries)


def coverage(catalog: Catalog, org: str) -> list[Coverage]:
    """All seven capabilities in taxonomy order; an entry counts once for every capability it names."""
    rows = []
    kinds = offers(catalog)
    mine = [(e, {t.id for t in e.capabilities}) for e in catalog.entries_of(org)]
    for capability in catalog.taxonomy.terms("capabilities"):
        entries = tuple(e for e, ids in mine if capability.id in ids)
        counts = Counter(offer_of(e) for e in entries)
        rows.append(Coverage(capability, {o.id: counts[o.id] for o in kinds if counts[o.id]}, entries))
    return rows


def capabilities_of(catalog: Catalog, org: str) -> tuple[Term, ...]:
    return _capabilities(catalog)[org]


@per_catalog
def _capabilities(catalog: Catalog) -> dict[str, tuple[Term, ...]]:
    """Every organization's covered capabilities, in taxonomy order (an entry of it names them)."""
    terms = catalog.taxonomy.terms("capabilities")
    out = {}
    for org in catalog.organizations:
        named = {t.id for e in catalog.entries_of(org.id) for t in e.capabilities}
        out[org.id] = tuple(t for t in terms if t.id in named)
    return out


# ---------------------------------------------------------------------------------------------
# Annual figures


def standards_total(row: YearFigures) -> int:
    return sum(row.standards.values())


def peer_average(catalog: Catalog, org: Organization) -> dict[int, float]:
    """Enterprises served per year, averaged over the other organizations of the same type that
    reported that year. Years without peers are absent. (The sums are integers, so taking the
    organization's own figures out of its type's totals gives exactly the peers' sum.)"""
    totals = _type_totals(catalog).get(org.type.id, {})
    own: dict[int, list[int]] = {}
    for row in catalog.figures_of(org.id):
        own.setdefault(row.year, []).append(row.enterprises_served)
    out = {}
    for year, (total, count) in sorted(totals.items()):
        mine = own.get(year, [])
        if count - len(mine):
            out[year] = (total - sum(mine)) / (count - len(mine))
    return out


@per_catalog
def _type_totals(catalog: Catalog) -> dict[str, dict[int, tuple[int, int]]]:
    """Per organization type and year: the sum of enterprises served and how many rows reported it."""
    out: dict[str, dict[int, tuple[int, int]]] = {}
    for org in catalog.organizations:
        years = out.setdefault(org.type.id, {})
        for row in catalog.figures_of(org.id):
            total, count = years.get(row.year, (0, 0))
            years[row.year] = (total + row.enterprises_served, count + 1)
    return out


def figure_years(catalog: Catalog) -> tuple[int, ...]:
    return tuple(sorted({f.year for f in catalog.figures}))


# ---------------------------------------------------------------------------------------------
# The ecosystem: organizations by field and type, and coverage matrices


@per_catalog
def landscape(catalog: Catalog) -> list[tuple[Term, list[tuple[Term, list[Organization]]]]]:
    """Every field in taxonomy order, each with its organizations grouped by type: an organization
    appears once under every field it declares. Empty fields are kept, so gaps show."""
    placed: dict[tuple[str, str], list[Organization]] = {}
    for o in catalog.organizations:
        for f in dict.fromkeys(t.id for t in o.fields):
            placed.setdefault((f, o.type.id), []).append(o)
    areas = []
    for f in catalog.taxonomy.terms("fields"):
        groups = [(t, placed.get((f.id, t.id), [])) for t in catalog.taxonomy.terms("organization_types")]
        areas.append((f, [(t, orgs) for t, orgs in groups if orgs]))
    return areas


@dataclass(frozen=True)
class Cell:
    organizations: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class Matrix:
    """Rows are fields; columns are parks or capabilities. `row_key`/`col_key` are the directory's
    query parameter names for them."""

    title: str
    rows: tuple[Term, ...]
    cols: tuple[Term, ...]
    row_key: str
    col_key: str
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, row: Term, col: Term) -> Cell:
        return self.cells[(row.id, col.id)]


@per_catalog
def field_park_matrix(catalog: Catalog) -> Matrix:
    """An organization covers (field, park) when it declares both; a service when it lists both."""
    return _matrix(catalog, f"领域 × {catalog.programme.wording.park}", "parks", "park", lambda o: o.parks, lambda s: s.parks)


@per_catalog
def field_capability_matrix(catalog: Catalog) -> Matrix:
    """An organization covers (field, capability) when it declares the field and any of its entries
    serves the capability; a service when it lists both."""
    return _matrix(catalog, "领域 × 核心服务能力", "capabilities", "capability",
                   lambda o: capabilities_of(catalog, o.id), lambda s: s.capabilities)


def _matrix(catalog: Catalog, title: str, vocabulary: str, key: str,
            org_terms: Callable[[Organization], Iterable[Term]], service_terms: Callable[[Entry], Iterable[Term]]) -> Matrix:
    """One pass over organizations and services, each added to the cells of its (field, column) pairs;
    cells keep catalog order."""
    rows, cols = catalog.taxonomy.terms("fields"), catalog.taxonomy.terms(vocabulary)
    orgs: dict[tuple[str, str], list[str]] = {}
    services: dict[tuple[str, str], list[str]] = {}
    for found, items, terms, name in ((orgs, catalog.organizations, org_terms, lambda o: o.id),
                                      (services, catalog.services, service_terms, lambda s: s.uid)):
        for item in items:
            columns = dict.fromkeys(t.id for t in terms(item))
            for f in dict.fromkeys(t.id for t in item.fields):
                for c in columns:
                    found.setdefault((f, c), []).append(name(item))
    cells = {(r.id, c.id): Cell(tuple(orgs.get((r.id, c.id), ())), tuple(services.get((r.id, c.id), ())))
             for r in rows for c in cols}
    return Matrix(title, rows, cols, "field", key, cells)


def parks_of(catalog: Catalog, org: Organization) -> tuple[Term, ...]:
    """Parks an organization works in: those it declares and those its entries name."""
    named = set(org.parks) | {p for e in catalog.entries_of(org.id) for p in e.parks}
    return tuple(p for p in catalog.taxonomy.terms("parks") if p in named)


# ---------------------------------------------------------------------------------------------
# Progress against the plan's targets


@dataclass(frozen=True)
class Series:
    """One metric from one source. `total` is the catalog's count today (None for annual figures);
    `by_year` the value of each year."""

    source: str
    by_year: dict[int, int]
    total: int | None = None

    def cumulative(self, year: int) -> int:
        return sum(v for y, v in self.by_year.items() if y <= year)


@dataclass(frozen=True)
class Metric:
    id: str
    label: str
    target: int | None
    per_year: bool  # the target is a yearly figure (e.g. 10,000 enterprise-times every year)
    how: str  # how it is counted, in one sentence, shown on the page
    catalog: Series | None = None
    figures: Series | None = None

    def reached(self, source: str, year: int | None) -> int | None:
        """The figure compared with the target: the year's value for yearly targets, else the running
        total through `year` (annual figures) or today's count (catalog)."""
        series = self.catalog if source == CATALOG else self.figures
        if series is None:
            return None
        if source == CATALOG and (not self.per_year or not series.by_year):
            return series.total
        if year is None:
            return None
        return series.by_year.get(year, 0) if self.per_year else series.cumulative(year)

    def share(self, value: int | None) -> float | None:
        return None if value is None or not self.target else value / self.target


@dataclass(frozen=True)
class Progress:
    target_year: int
    years: tuple[int, ...]  # years with annual figures
    metrics: tuple[Metric, ...]

    @property
    def latest_year(self) -> int | None:
        return self.years[-1] if self.years else None


def _entries(catalog: Catalog, kind: str, where: Callable[[Entry], bool] = lambda e: True) -> list:
    return [e for e in catalog.resources if e.kind == kind and where(e)]


def _catalog_series(items: Iterable, year_of: Callable | None) -> Series:
    items = list(items)
    by_year = dict(sorted(Counter(year_of(i) for i in items if year_of(i) is not None).items())) if year_of else {}
    return Series(CATALOG, by_year, len(items))


def _figures_series(catalog: Catalog, value: Callable[[YearFigures], int], org: str | None = None) -> Series:
    by_year: Counter = Counter()
    for row in catalog.figures:
        if org is None or row.org == org:
            by_year[row.year] += value(row)
    return Series(FIGURES, dict(sorted(by_year.items())))


def _issued(level: str | None = None) -> Callable[[Entry], bool]:
    return lambda s: s.status.id in ISSUED_STANDARD_STATUSES and (level is None or s.level.id == level)


def progress(catalog: Catalog) -> Progress:
    targets = catalog.programme.targets
    std_targets = targets.get("standards", {})
    metrics = [
        Metric("organizations", "科技型社会组织", targets.get("organizations"), False,
               "目录中的组织数。", catalog=Series(CATALOG, {}, len(catalog.organizations))),
        Metric("key_organizations", "重点科技型社会组织", targets.get("key_organizations"), False,
               "programme.yml 中列为重点组织且已入驻目录的组织数。",
               catalog=Series(CATALOG, {}, sum(o.key for o in catalog.organizations))),
        Metric("enterprises_served", "服务企业（家次/年）", targets.get("enterprises_served_per_year"), True,
               "各组织年度数据中“服务企业家次”之和。",
               figures=_figures_series(catalog, lambda r: r.enterprises_served)),
    ]
    for level in catalog.taxonomy.terms("standard_levels"):
        metrics.append(Metric(
            f"standards.{level.id}", level.name, std_targets.get(level.id), False,
            f"目录：状态为“发布”或“实施”的{level.name}条目，按发布日期计年；年度数据：当年发布的{level.name}数。",
            catalog=_catalog_series(_entries(catalog, "standard", _issued(level.id)), lambda s: s.issued.year if s.issued else None),
            figures=_figures_series(catalog, lambda r, lv=level.id: r.standards.get(lv, 0))))
    metrics += [
        Metric("reports", "产业行业研究报告", targets.get("reports"), False,
               "目录：产业报告条目，按报告年份计年；年度数据：当年发布的报告数。",
               catalog=_catalog_series(_entries(catalog, "report"), lambda r: r.year),
               figures=_figures_series(catalog, lambda r: r.reports)),
        Metric("platforms", "科技服务平台", targets.get("platforms"), False,
               "目录：服务平台条目（不含科研设施）；年度数据：当年新建的平台数。",
               catalog=_catalog_series(_entries(catalog, "platform"), None),
               figures=_figures_series(catalog, lambda r: r.platforms)),
        Metric("events", "品牌服务活动（场/年）", targets.get("events_per_year"), True,
               "目录：品牌活动条目，按开始日期计年；年度数据：当年举办的活动场次。",
               catalog=_catalog_series(_entries(catalog, "event"), lambda e: e.start.year),
               figures=_figures_series(catalog, lambda r: r.events)),
        Metric("cooperation_agreements", "国际合作协议", targets.get("cooperation_agreements"), False,
               "目录：国际合作条目，按签署日期计年；年度数据：当年签署的合作协议数。",
               catalog=_catalog_series(_entries(catalog, "cooperation"), lambda c: c.signed.year),
               figures=_figures_series(catalog, lambda r: r.cooperation_agreements)),
    ]
    return Progress(int(targets.get("year", 0)), figure_years(catalog), tuple(metrics))


# ---------------------------------------------------------------------------------------------
# Per organization


ORG_METRICS: tuple[tuple[str, str], ...] = (
    ("enterprises_served", "服务企业家次"), ("standards", "标准"), ("reports", "报告"),
    ("platforms", "平台"), ("events", "活动"), ("cooperation_agreements", "国际合作"),
)
ORG_YEARLY = frozenset({"enterprises_served", "events"})  # shown for the latest year; the rest as running totals
_ORG_FIGURE: dict[str, Callable[[YearFigures], int]] = {
    "enterprises_served": lambda r: r.enterprises_served, "standards": standards_total, "reports": lambda r: r.reports,
    "platforms": lambda r: r.platforms, "events": lambda r: r.events,
    "cooperation_agreements": lambda r: r.cooperation_agreements,
}
_ORG_CATALOG: dict[str, tuple[str, Callable[[Entry], bool]]] = {
    "standards": ("standard", _issued()), "reports": ("report", lambda e: True), "platforms": ("platform", lambda e: True),
    "events": ("event", lambda e: True), "cooperation_agreements": ("cooperation", lambda e: True),
}


@dataclass(frozen=True)
class OrgRow:
    org: Organization
    services: int
    resources: int
    cases: int
    capabilities: int  # core capabilities covered, of seven
    catalog: dict[str, int | None]  # ORG_METRICS id -> catalog count (None where the catalog has none)
    figures: dict[str, int | None]  # ORG_METRICS id -> latest year (ORG_YEARLY) or running total; None: not reported


def org_rows(catalog: Catalog) -> list[OrgRow]:
    latest = progress(catalog).latest_year
    rows = []
    for org in catalog.organizations:
        entries = catalog.entries_of(org.id)
        reported = [r for r in catalog.figures_of(org.id) if latest is not None and r.year <= latest]
        this_year = next((r for r in reported if r.year == latest), None)
        figures: dict[str, int | None] = {}
        for key, _ in ORG_METRICS:
            value = _ORG_FIGURE[key]
            if key in ORG_YEARLY:
                figures[key] = value(this_year) if this_year else None
            else:
                figures[key] = sum(value(r) for r in reported) if reported else None
        counted: dict[str, int | None] = {key: None for key, _ in ORG_METRICS}
        for key, (kind, where) in _ORG_CATALOG.items():
            counted[key] = sum(1 for e in entries if e.kind == kind and where(e))
        rows.append(OrgRow(
            org=org,
            services=sum(e.kind == kinds.SERVICE for e in entries),
            resources=sum(e.kind != kinds.SERVICE for e in entries),
            cases=len(catalog.cases_of(org.id)),
            capabilities=len(capabilities_of(catalog, org.id)),
            catalog=counted, figures=figures,
        ))
    return rows
