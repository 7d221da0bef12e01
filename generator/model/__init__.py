"""The model stage: the checked documents become plain, frozen dataclasses.

Renderers read these and never mutate them. Vocabulary values are resolved to `Term`s, dates to
`date`/`datetime`, references to unique ids (`org/entry`), and image paths to files on disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from ..checks import Validation
from ..checks.semantic import parse_when
from ..load import Document, Source
from ..schemas import fields as kinds


@dataclass(frozen=True)
class Term:
    """A taxonomy term: `name` is what entries write, `id` what URLs and filters use."""

    vocabulary: str
    id: str
    name: str
    en: str = ""
    capability: str = ""
    pattern: str = ""
    example: str = ""
    aliases: tuple[str, ...] = ()  # former names, still accepted: a rename keeps `id` (URLs, figures keys)
    synonyms: tuple[str, ...] = ()  # what readers type for it (AI, IC); search finds the term by them


@dataclass(frozen=True)
class Taxonomy:
    vocabularies: dict[str, tuple[Term, ...]]

    def terms(self, vocabulary: str) -> tuple[Term, ...]:
        return self.vocabularies.get(vocabulary, ())

    @cached_property
    def _by_name(self) -> dict[tuple[str, str], Term]:
        """Current names and former names (`aliases`) both lead to the term."""
        found = {(t.vocabulary, a): t for terms in self.vocabularies.values() for t in terms for a in t.aliases}
        found.update({(t.vocabulary, t.name): t for terms in self.vocabularies.values() for t in terms})
        return found

    @cached_property
    def _by_id(self) -> dict[tuple[str, str], Term]:
        return {(t.vocabulary, t.id): t for terms in self.vocabularies.values() for t in terms}

    def by_name(self, vocabulary: str, name: str) -> Term:
        return self._by_name[(vocabulary, name)]

    def by_id(self, vocabulary: str, id: str) -> Term:
        return self._by_id[(vocabulary, id)]


@dataclass(frozen=True)
class Contact:
    label: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class Membership:
    name: str
    role: str = ""
    since: int | None = None


@dataclass(frozen=True)
class Integrity:
    status: Term
    checked: date | None = None
    note: str = ""


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    short_name: str
    type: Term
    uscc: str
    registered_by: str
    founded: date
    fields: tuple[Term, ...]
    summary: str
    maintainers: tuple[str, ...]
    source: str
    name_en: str = ""
    supervisor: str = ""
    members: dict[str, int] = field(default_factory=dict)
    parks: tuple[Term, ...] = ()
    districts: tuple[Term, ...] = ()
    description: str = ""
    website: str = ""
    contacts: tuple[Contact, ...] = ()
    logo: Path | None = None
    international_memberships: tuple[Membership, ...] = ()
    key: bool = False
    integrity: Integrity | None = None


@dataclass(frozen=True, kw_only=True)
class Entry:
    """What services and every kind of resource share: the directory lists them side by side."""

    org: str
    id: str
    title: str
    summary: str
    published: date
    updated: date
    source: str
    capabilities: tuple[Term, ...] = ()
    fields: tuple[Term, ...] = ()
    audiences: tuple[Term, ...] = ()
    parks: tuple[Term, ...] = ()
    districts: tuple[Term, ...] = ()
    fee: Term | None = None
    description: str = ""
    url: str = ""
    contact: Contact | None = None
    valid_until: date | None = None
    tags: tuple[str, ...] = ()

    kind: str = "service"

    @property
    def uid(self) -> str:
        """Unique across the catalog and stable across edits: the feeds and share kits key on it."""
        return f"{self.org}/{self.id}"


@dataclass(frozen=True, kw_only=True)
class Service(Entry):
    service_kinds: tuple[Term, ...]
    delivery: tuple[Term, ...]
    how_to_apply: str
    fee_note: str = ""
    apply_url: str = ""


@dataclass(frozen=True, kw_only=True)
class Resource(Entry):
    """A resource of any kind. Its kind's own fields (declared in resource.schema.json) are in `extra`
    and read as attributes (`entry.number`); a field the entry left out reads as its shape's empty
    value, so templates and renderers need no per-kind class."""

    resource_kind: Term
    extra: tuple[tuple[str, Any], ...] = ()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "extra":
            raise AttributeError(name)
        for key, value in self.extra:
            if key == name:
                return value
        declared = kinds.field(self.kind, name)
        if declared is None:
            raise AttributeError(f"{self.kind} has no field {name!r}")
        return _EMPTY.get(declared.shape)

    def get(self, name: str) -> Any:
        """A field of the entry by name, shared or the kind's own."""
        return getattr(self, name)


_EMPTY: dict[str, Any] = {"terms": (), "list": (), "tags": (), "text": "", "markdown": "", "url": "", "bool": False}


@dataclass(frozen=True, kw_only=True)
class Event(Resource):
    """Times are Beijing local time; `all_day` when the entry gave dates without a time. Events keep a
    class of their own: the calendar and the pages compute with their times."""

    start: datetime
    end: datetime
    all_day: bool = False


@dataclass(frozen=True)
class Figure:
    label: str
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Image:
    path: Path
    file: str
    alt: str
    caption: str = ""


@dataclass(frozen=True)
class Case:
    org: str
    id: str
    title: str
    date: date
    organizations: tuple[str, ...]
    fields: tuple[Term, ...]
    capabilities: tuple[Term, ...]
    summary: str
    problem: str
    approach: str
    effects: str
    source: str
    updated: date | None = None
    parks: tuple[Term, ...] = ()
    enterprises: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    enterprises_served: int | None = None
    services: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    images: tuple[Image, ...] = ()
    body: str = ""
    tags: tuple[str, ...] = ()

    kind: str = "case"

    @property
    def uid(self) -> str:
        return f"{self.org}/{self.id}"

    @property
    def last_changed(self) -> date:
        return self.updated or self.date


@dataclass(frozen=True)
class YearFigures:
    org: str
    year: int
    enterprises_served: int
    events: int = 0
    standards: dict[str, int] = field(default_factory=dict)
    reports: int = 0
    platforms: int = 0
    cooperation_agreements: int = 0


@dataclass(frozen=True)
class SiteSettings:
    title: str
    base_url: str
    host: str
    contact: str
    subtitle: str = ""
    title_en: str = ""
    description: str = ""
    icp: str = ""
    public_security: str = ""
    site_code: str = ""
    topic: str = ""
    repository: str = ""


@dataclass(frozen=True)
class FeedSettings:
    max_items: int = 60
    days: int = 730


@dataclass(frozen=True)
class ShareSettings:
    """The share kits' visual identity; `font` empty means: ask fontconfig (or JULI_FONT)."""

    font: str = ""
    band: str = "#1A4F8B"
    accent: str = "#E8A33D"
    ink: str = "#1F2933"
    paper: str = "#F7F9FC"


@dataclass(frozen=True)
class Wording:
    """The programme's own words on pages, charts and messages (`wording:` in programme.yml). The
    defaults name no place and no programme; catalog/programme.yml gives the shipped programme's."""

    region: str = ""  # before 科技型社会组织 in titles, e.g. 北京市
    programme: str = "行动方案"  # the programme's short name
    policy: str = "行动方案"  # the policy document's full title, without 《》
    office: str = "项目办公室"
    park: str = "园区"  # one park of the `parks` vocabulary, e.g. 中关村分园
    map_title: str = "科技型社会组织服务生态图谱"
    progress_title: str = "行动进展"
    local_time: str = "当地时间"
    quote: str = ""  # the policy's sentence the home page quotes
    quote_from: str = ""  # where in the policy, e.g. 四(三)
    labels: dict[str, str] = field(default_factory=dict)  # field name -> label replacing its schema title

    def label(self, name: str, title: str) -> str:
        """A field's label: the programme's own word for it (`labels:`), else its schema title."""
        return self.labels.get(name, title)


@dataclass(frozen=True)
class EditorSettings:
    """`editor:` in programme.yml: the code host the /admin/ editor works on (see docs/office.md)."""

    backend: str
    repo: str
    branch: str = "main"
    host: str = ""
    app_id: str = ""
    auth_proxy: str = ""
    open_authoring: bool = True


@dataclass(frozen=True)
class PrintSettings:
    """The printed edition: chapters by `field` or by `organization`, the policy sections quoted after
    the cover, above how many entries the one volume becomes one volume per field, and whether the site
build publishes the PDFs (`juli print` makes them either way)."""

    order: str = "field"
    policy_sections: tuple[str, ...] = ()
    split_above: int = 1000
    build: bool = True  # the site build publishes the PDFs too


@dataclass(frozen=True)
class Programme:
    site: SiteSettings
    targets: dict[str, Any]
    key_organizations: tuple[str, ...]
    integrity: dict[str, Integrity]
    feeds: FeedSettings = FeedSettings()
    review_months: int = 12
    office_handles: tuple[str, ...] = ()
    share: ShareSettings = ShareSettings()
    wording: Wording = Wording()
    editor: EditorSettings | None = None
    office_members: tuple[str, ...] = ()
    print: PrintSettings = PrintSettings()


@dataclass(frozen=True)
class Catalog:
    """The whole catalog, every collection sorted by id so renderers iterate deterministically."""

    root: Path
    taxonomy: Taxonomy
    programme: Programme
    organizations: tuple[Organization, ...]
    services: tuple[Service, ...]
    resources: tuple[Resource, ...]
    cases: tuple[Case, ...]
    figures: tuple[YearFigures, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return self.services + self.resources

    @cached_property
    def _orgs(self) -> dict[str, Organization]:
        return {o.id: o for o in self.organizations}

    @cached_property
    def _entries(self) -> dict[str, Entry]:
        return {e.uid: e for e in self.entries}

    def organization(self, id: str) -> Organization:
        return self._orgs[id]

    def entry(self, uid: str) -> Entry:
        return self._entries[uid]

    @cached_property
    def _by_org(self) -> dict[str, dict[str, list]]:
        index: dict[str, dict[str, list]] = {o.id: {"entries": [], "cases": [], "figures": []} for o in self.organizations}
        for e in self.entries:
            index[e.org]["entries"].append(e)
        for c in self.cases:
            for org in c.organizations:
                index[org]["cases"].append(c)
        for f in self.figures:
            index[f.org]["figures"].append(f)
        return index

    def entries_of(self, org: str) -> list[Entry]:
        return self._by_org[org]["entries"]

    def cases_of(self, org: str) -> list[Case]:
        """Cases the organization took part in, its own and those it co-organised."""
        return self._by_org[org]["cases"]

    def figures_of(self, org: str) -> list[YearFigures]:
        return sorted(self._by_org[org]["figures"], key=lambda f: f.year)

    @cached_property
    def _citing(self) -> dict[str, list[Case]]:
        index: dict[str, list[Case]] = {}
        for c in self.cases:
            for uid in c.services + c.resources:
                index.setdefault(uid, []).append(c)
        return index

    def cases_citing(self, uid: str) -> list[Case]:
        return self._citing.get(uid, [])


# ---------------------------------------------------------------------------------------------
# Building the model from checked documents. Only called when validation found no errors.


def build(validation: Validation) -> Catalog:
    if not validation.ok:
        raise ValueError("the model is built only from a catalog without errors")
    docs: dict[str, list[tuple[Source, Document]]] = {}
    for source, doc in validation.documents:
        docs.setdefault(source.kind, []).append((source, doc))
    taxonomy = _taxonomy(docs["taxonomy"][0][1].data)
    programme = _programme(docs["programme"][0][1].data, taxonomy)
    t = _Terms(taxonomy)
    organizations = tuple(sorted((_organization(s, d, t, programme) for s, d in docs.get("organization", [])), key=lambda o: o.id))
    services = tuple(sorted((_service(s, d.data, t) for s, d in docs.get("service", [])), key=lambda e: e.uid))
    resources = tuple(sorted((_resource(s, d.data, t) for s, d in docs.get("resource", [])), key=lambda e: e.uid))
    cases = tuple(sorted((_case(s, d, t) for s, d in docs.get("case", [])), key=lambda c: c.uid))
    figures = tuple(sorted((f for s, d in docs.get("figures", []) for f in _figures(s, d.data)), key=lambda f: (f.org, f.year)))
    return Catalog(validation.root, taxonomy, programme, organizations, services, resources, cases, figures)


class _Terms:
    def __init__(self, taxonomy: Taxonomy):
        self.taxonomy = taxonomy

    def one(self, vocabulary: str, name: str | None) -> Term | None:
        return self.taxonomy.by_name(vocabulary, name) if name is not None else None

    def many(self, vocabulary: str, names: Iterable[str] | None) -> tuple[Term, ...]:
        return tuple(self.taxonomy.by_name(vocabulary, n) for n in names or ())


def _taxonomy(data: dict) -> Taxonomy:
    vocabularies = {
        key: tuple(Term(vocabulary=key, **{k: tuple(map(str, v)) if k in ("aliases", "synonyms") else str(v) for k, v in term.items()})
                   for term in terms)
        for key, terms in data.items() if isinstance(terms, list)
    }
    return Taxonomy(vocabularies)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _programme(data: dict, taxonomy: Taxonomy) -> Programme:
    integrity = {
        org: Integrity(taxonomy.by_name("integrity_statuses", v["status"]), _date(v.get("checked")), v.get("note", ""))
        for org, v in data.get("integrity", {}).items()
    }
    return Programme(
        site=SiteSettings(**data["site"]),
        targets=data.get("targets", {}),
        key_organizations=tuple(data.get("key_organizations", [])),
        integrity=integrity,
        feeds=FeedSettings(**data.get("feeds", {})),
        review_months=data.get("freshness", {}).get("review_months", 12),
        office_handles=tuple(data.get("office", {}).get("handles", [])),
        share=ShareSettings(**data.get("share", {})),
        wording=Wording(**data.get("wording", {})),
        editor=EditorSettings(**data["editor"]) if data.get("editor") else None,
        office_members=tuple(data.get("office", {}).get("members", [])),
        print=_print_settings(data.get("print", {})),
    )


def _print_settings(data: dict) -> PrintSettings:
    return PrintSettings(**{**data, "policy_sections": tuple(data.get("policy_sections", ()))})


def _contact(value: dict | None) -> Contact | None:
    return Contact(**value) if value else None


def _organization(source: Source, doc: Document, t: _Terms, programme: Programme) -> Organization:
    d = doc.data
    return Organization(
        id=d["id"], name=d["name"], short_name=d["short_name"], type=t.one("organization_types", d["type"]),
        uscc=d["uscc"], registered_by=d["registered_by"], founded=date.fromisoformat(d["founded"]),
        fields=t.many("fields", d["fields"]), summary=d["summary"].strip(), maintainers=tuple(d["maintainers"]),
        source=source.rel, name_en=d.get("name_en", ""), supervisor=d.get("supervisor", ""),
        members=dict(d.get("members", {})), parks=t.many("parks", d.get("parks")),
        districts=t.many("districts", d.get("districts")), description=d.get("description", ""),
        website=d.get("website", ""), contacts=tuple(Contact(**c) for c in d.get("contacts", [])),
        logo=(doc.path.parent / d["logo"]) if d.get("logo") else None,
        international_memberships=tuple(Membership(**m) for m in d.get("international_memberships", [])),
        key=d["id"] in programme.key_organizations, integrity=programme.integrity.get(d["id"]),
    )


def _common(source: Source, d: dict, t: _Terms) -> dict[str, Any]:
    return dict(
        org=source.org, id=d["id"], title=d["title"], summary=d["summary"].strip(),
        published=date.fromisoformat(d["published"]), updated=date.fromisoformat(d["updated"]), source=source.rel,
        fields=t.many("fields", d.get("fields")), audiences=t.many("audiences", d.get("audiences")),
        parks=t.many("parks", d.get("parks")), districts=t.many("districts", d.get("districts")),
        fee=t.one("fees", d.get("fee")), description=d.get("description", ""), url=d.get("url", ""),
        contact=_contact(d.get("contact")), valid_until=_date(d.get("valid_until")), tags=tuple(d.get("tags", [])),
    )


def _service(source: Source, d: dict, t: _Terms) -> Service:
    return Service(
        **_common(source, d, t), capabilities=t.many("capabilities", d["capabilities"]),
        service_kinds=t.many("service_kinds", d["service_kinds"]), delivery=t.many("delivery", d["delivery"]),
        how_to_apply=d["how_to_apply"], fee_note=d.get("fee_note", ""), apply_url=d.get("apply_url", ""),
    )


def _value(f: "kinds.Field", value: Any, t: _Terms) -> Any:
    """A kind's own field as the model holds it, by the shape its schema declares."""
    if f.shape == "date":
        return date.fromisoformat(value)
    if f.shape == "term":
        return t.one(f.vocabulary, value) if f.vocabulary else value
    if f.shape == "terms":
        return t.many(f.vocabulary, value) if f.vocabulary else tuple(value)
    if isinstance(value, list):
        return tuple(value)
    return value


def _resource(source: Source, d: dict, t: _Terms) -> Resource:
    kind = t.taxonomy.by_id("resource_kinds", d["kind"])
    values = {f.name: _value(f, d[f.name], t) for f in kinds.own_fields(d["kind"]) if f.name in d and f.shape != "datetime"}
    if "number" in values and "level" in values:
        values["number"] = standard_number(values["number"], values["level"])
    extra = tuple(values.items())
    capabilities = d.get("capabilities") or [t.taxonomy.by_id("capabilities", kind.capability).name]
    common = dict(**_common(source, d, t), capabilities=t.many("capabilities", capabilities), kind=d["kind"],
                  resource_kind=kind, extra=extra)
    if d["kind"] == "event":
        return Event(**common, start=_datetime(d["start"], end=False), end=_datetime(d["end"], end=True),
                     all_day=len(d["start"]) == 10 and len(d["end"]) == 10)
    return Resource(**common)


_YEAR_DASH = re.compile(r"[-–](\d{4}|\d{2})$")


def standard_number(number: str, level: Term) -> str:
    """A standard number as its level writes it: a Chinese standard separates the year with an em dash
    (GB/T 1.1—2020), which contributors type as a hyphen or an en dash; both are accepted and published
    with the dash of the level's example."""
    if "—" not in level.example or not (level.pattern and re.match(level.pattern, number)):
        return number
    return _YEAR_DASH.sub(r"—\1", number)


def _datetime(value: str, end: bool) -> datetime:
    when = parse_when(value)
    if isinstance(when, datetime):
        return when
    return datetime(when.year, when.month, when.day, 23 if end else 0, 59 if end else 0)


def _case(source: Source, doc: Document, t: _Terms) -> Case:
    d = doc.data
    own = source.org

    def qualify(ref: str) -> str:
        return ref if "/" in ref else f"{own}/{ref}"

    return Case(
        org=own, id=d["id"], title=d["title"], date=date.fromisoformat(d["date"]),
        organizations=tuple(d["organizations"]), fields=t.many("fields", d["fields"]),
        capabilities=t.many("capabilities", d["capabilities"]), summary=d["summary"].strip(),
        problem=d["problem"], approach=d["approach"], effects=d["effects"], source=source.rel,
        updated=_date(d.get("updated")), parks=t.many("parks", d.get("parks")),
        enterprises=tuple(d.get("enterprises", [])), figures=tuple(Figure(**f) for f in d.get("figures", [])),
        enterprises_served=d.get("enterprises_served"),
        services=tuple(qualify(r) for r in d.get("services", [])),
        resources=tuple(qualify(r) for r in d.get("resources", [])),
        images=tuple(Image(doc.path.parent / i["file"], i["file"], i["alt"], i.get("caption", "")) for i in d.get("images", [])),
        body=d.get("body", ""), tags=tuple(d.get("tags", [])),
    )


def _figures(source: Source, d: dict) -> list[YearFigures]:
    return [YearFigures(org=source.org, **{**row, "standards": dict(row.get("standards", {}))}) for row in d["years"]]
