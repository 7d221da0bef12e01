"""The printed directory: typeset A4 PDFs made with WeasyPrint from HTML and CSS templates
(`templates/print/`), for the office to hand out at park visits and brand events.

The whole-directory edition has a cover with the programme's identity, the policy excerpt named in
programme.yml (`print.policy_sections`), a table of contents with page numbers, chapters by field or by
organization (`print.order`), each organization's profile and each entry's key facts, how to apply,
contact and a QR code to its page, then an index of organizations and of terms. Every organization also
gets its own brochure. Above `print.split_above` entries one volume would take minutes to typeset and
hundreds of pages to leaf through, so the edition becomes one volume per field instead (bench/print.py
measured the cost; see README "印刷版").

Nothing is fetched: images are inlined as data URIs and the URL fetcher refuses every other scheme. The
same catalog gives the same bytes: a volume is dated by the newest `updated` of the entries it holds (the
catalog's newest date when it holds none), so editing one entry re-typesets only the volumes that show it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

import segno
from markupsafe import Markup

from ..model import urls
from ..model.freshness import as_of
from .. import schemas
from ..model import Catalog, Contact, Entry, Event, Organization, Programme, Service, Taxonomy, Term
from . import Context, Output, markup
from ..pool import PARALLEL_MIN
from ..load.fonts import FontError
from .share import facts
from .templating import render as render_template

FOLDER = "print/"
EDITION = FOLDER + "directory.pdf"
OTHER = "other"  # the chapter of entries without a field
TERM_VOCABULARIES = ("fields", "capabilities", "service_kinds", "resource_kinds")


def organization_pdf(org: Organization) -> str:
    return f"{FOLDER}organizations/{org.id}.pdf"


def field_pdf(field_id: str) -> str:
    return f"{FOLDER}fields/{field_id}.pdf"


@dataclass(frozen=True)
class Block:
    """One entry as printed."""

    anchor: str
    entry: Entry
    kind_label: str
    facts: tuple[tuple[str, str], ...]
    apply: str  # how to apply, as plain text
    apply_url: str
    contact: Contact | None
    link: str
    qr: str  # data URI of the QR code (SVG) to the entry's page


@dataclass(frozen=True)
class Group:
    """An organization inside a chapter: its profile (`profile`) and/or its entries."""

    anchor: str
    org: Organization
    profile: bool
    blocks: tuple[Block, ...]
    logo: str = ""  # data URI, or empty
    link: str = ""
    qr: str = ""


@dataclass(frozen=True)
class Chapter:
    anchor: str
    title: str
    groups: tuple[Group, ...]
    in_toc: bool = True  # list its organizations in the table of contents


@dataclass(frozen=True)
class IndexLine:
    label: str
    anchors: tuple[str, ...]  # where the references start, in document order


@dataclass(frozen=True)
class Volume:
    """One PDF: what its cover says and what it holds."""

    path: str
    title: str
    subtitle: str
    chapters: tuple[Chapter, ...]
    policy: Markup
    organizations: tuple[IndexLine, ...]
    terms: tuple[tuple[str, tuple[IndexLine, ...]], ...]  # vocabulary label → its terms
    day: date  # the edition's date: on the cover and in the PDF's metadata

    @property
    def entry_count(self) -> int:
        return sum(len(g.blocks) for c in self.chapters for g in c.groups)


_VOCABULARY_LABELS = {"fields": "领域", "capabilities": "核心服务能力", "service_kinds": "服务类型", "resource_kinds": "资源类型"}


def apply_of(entry: Entry) -> tuple[str, str]:
    """How to apply (plain text) and where (URL), by kind; where neither is given, the printed contact
    row says whom to ask."""
    if isinstance(entry, Service):
        return markup.plain(entry.how_to_apply), entry.apply_url
    if isinstance(entry, Event):
        return ("在线报名" if entry.registration_url else ""), entry.registration_url
    if entry.kind == "facility":
        return markup.plain(entry.booking), ""
    if entry.kind == "report":
        return "下载报告全文", entry.document_url
    return "", entry.url


def _kind_label(entry: Entry) -> str:
    return schemas.load("service")["title"] if isinstance(entry, Service) else entry.resource_kind.name


@lru_cache(maxsize=None)
def _qr(url: str) -> str:
    """A PNG, drawn module by module (`image-rendering: pixelated`): as sharp as vector paths in print and
    far cheaper to typeset (parsing SVG paths took half the time of a 100-entry edition). One fixed mask:
    any mask scans, and trying all eight took four fifths of the time of making a code."""
    return segno.make(url, error="m", mask=2).png_data_uri(scale=4, border=0)


def _logo(org: Organization) -> str:
    if org.logo is None or not org.logo.is_file():
        return ""
    return "data:image/png;base64," + base64.b64encode(org.logo.read_bytes()).decode()


def _anchor(entry: Entry) -> str:
    return f"e-{entry.org}-{entry.id}"


def block(catalog: Catalog, entry: Entry) -> Block:
    org = catalog.organization(entry.org)
    text, url = apply_of(entry)
    link = urls.absolute(catalog.programme.site.base_url, urls.page(entry))
    contact = entry.contact or (org.contacts[0] if org.contacts else None)
    return Block(_anchor(entry), entry, _kind_label(entry), tuple(facts(entry)), text, url, contact, link, _qr(link))


def _profile(catalog: Catalog, org: Organization, blocks: tuple[Block, ...] = ()) -> Group:
    link = urls.absolute(catalog.programme.site.base_url, urls.page(org))
    return Group(f"org-{org.id}", org, True, blocks, _logo(org), link, _qr(link))


def chapters(catalog: Catalog, entries: Iterable[Entry], orgs: Iterable[Organization], order: str) -> tuple[Chapter, ...]:
    """The body of a volume. By organization: one chapter per organization (profile, then its entries). By
    field: the profiles first, then one chapter per field in the taxonomy's order holding the entries whose
    first field it is, grouped by organization; entries without a field close the volume."""
    entries = sorted(entries, key=lambda e: (e.org, e.kind != "service", e.title, e.id))
    orgs = sorted(orgs, key=lambda o: o.id)
    blocks = {e.uid: block(catalog, e) for e in entries}
    if order == "organization":
        mine: dict[str, list[Block]] = {o.id: [] for o in orgs}
        for e in entries:
            mine[e.org].append(blocks[e.uid])
        return tuple(Chapter(f"c-{o.id}", o.name, (_profile(catalog, o, tuple(mine[o.id])),), in_toc=False) for o in orgs)
    found = [Chapter("c-profiles", "组织简介", tuple(_profile(catalog, o) for o in orgs))] if orgs else []
    by_field: dict[str, dict[str, list[Block]]] = {}
    for e in entries:
        by_field.setdefault(e.fields[0].id if e.fields else OTHER, {}).setdefault(e.org, []).append(blocks[e.uid])
    names = {t.id: t.name for t in catalog.taxonomy.vocabularies.get("fields", ())}
    for field_id in [*names, OTHER]:
        groups = by_field.get(field_id)
        if groups:
            found.append(Chapter(f"c-{field_id}", names.get(field_id, "其他"), tuple(
                Group(f"c-{field_id}-{org}", catalog.organization(org), False, tuple(items))
                for org, items in sorted(groups.items())), in_toc=False))
    return tuple(found)


def indexes(catalog: Catalog, body: tuple[Chapter, ...]) -> tuple[tuple[IndexLine, ...], tuple]:
    """The index of organizations (where each one's profile or first entry is) and of terms: for each term,
    where each run of consecutive entries carrying it starts (a page number per run, not per entry, so a
    term on 300 entries of one chapter is one reference). Organizations in Unicode order of their names
    (the order of the radical-stroke dictionaries), terms in the taxonomy's order."""
    first: dict[str, str] = {}
    for chapter in body:
        for group in chapter.groups:
            if group.profile:
                first[group.org.id] = group.anchor
            else:
                first.setdefault(group.org.id, group.anchor)
    names = {o.id: o.name for chapter in body for g in chapter.groups for o in (g.org,)}
    organizations = tuple(IndexLine(names[org], (anchor,)) for org, anchor in sorted(first.items(), key=lambda kv: (names[kv[0]], kv[0])))
    order = [b for chapter in body for group in chapter.groups for b in group.blocks]
    runs: dict[tuple[str, str], list[str]] = {}
    previous: set[tuple[str, str]] = set()
    for b in order:
        entry = b.entry
        carried = {(t.vocabulary, t.id) for t in (*entry.fields, *entry.capabilities, *_kinds(entry))}
        for key in sorted(carried - previous):
            runs.setdefault(key, []).append(b.anchor)
        previous = carried
    terms = []
    for vocabulary in TERM_VOCABULARIES:
        lines = tuple(IndexLine(t.name, tuple(runs[(vocabulary, t.id)]))
                      for t in catalog.taxonomy.vocabularies.get(vocabulary, ()) if (vocabulary, t.id) in runs)
        if lines:
            terms.append((_VOCABULARY_LABELS[vocabulary], lines))
    return organizations, tuple(terms)


def _kinds(entry: Entry) -> tuple[Term, ...]:
    return tuple(entry.service_kinds) if isinstance(entry, Service) else (entry.resource_kind,)


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)


def policy_excerpt(root: Path, sections: tuple[str, ...]) -> Markup:
    """The named sections of docs/policy.md (each up to the next heading of its level or above), as HTML."""
    path = root / "docs" / "policy.md"
    if not sections or not path.is_file():
        return Markup("")
    text = re.sub(r"\A---\n.*?\n---\n", "", path.read_text("utf-8"), flags=re.S)
    headings = list(_HEADING.finditer(text))
    parts = []
    for wanted in sections:
        for i, h in enumerate(headings):
            if h.group(2) == wanted:
                level = len(h.group(1))
                end = next((n.start() for n in headings[i + 1:] if len(n.group(1)) <= level), len(text))
                parts.append(f"<h3>{Markup.escape(wanted)}</h3>" + markup.markdown(text[h.end():end]))
                break
    return Markup("".join(parts))


def volume(catalog: Catalog, root: Path, path: str, title: str, subtitle: str, entries: Iterable[Entry],
           orgs: Iterable[Organization], order: str, policy: bool = True) -> Volume:
    entries = list(entries)
    body = chapters(catalog, entries, orgs, order)
    organizations, terms = indexes(catalog, body)
    excerpt = policy_excerpt(root, catalog.programme.print.policy_sections) if policy else Markup("")
    day = max((e.updated for e in entries), default=as_of(catalog))
    return Volume(path, title, subtitle, body, excerpt, organizations, terms, day)


def html(catalog: Catalog, vol: Volume) -> str:
    programme = catalog.programme
    css = render_template("print/print.css", share=programme.share)
    return render_template("print/edition.html", volume=vol, site=programme.site, css=Markup(css), day=vol.day)


FONTS = ("Noto Sans CJK SC",)  # the family print.css names (one family: each embedded face costs ~0.2 MB)


def require_fonts() -> None:
    """Refuse to typeset without the Chinese fonts print.css names: WeasyPrint would silently fall back to
    a font without Chinese glyphs and print boxes."""
    lister = shutil.which("fc-list")
    missing = [f for f in FONTS if lister is None or not subprocess.run(
        [lister, f, "family"], capture_output=True, text=True, check=False).stdout.strip()]
    if missing:
        raise FontError(f"印刷版需要中文字体 {'、'.join(missing)}，系统中没有找到。请安装 fonts-noto-cjk 与 fontconfig"
                        "（Debian/Ubuntu：apt-get install fonts-noto-cjk fontconfig，或运行 make site）。")


def local_only():
    """The URL fetcher: everything the edition shows is inlined as a data URI; anything else is refused
    (and stops the typesetting), so no build ever reaches the network."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)


def pdf(document: str) -> bytes:
    """The PDF of one edition's HTML (dates and identifier from the document, so the bytes are stable)."""
    from weasyprint import HTML

    identifier = hashlib.sha256(document.encode()).hexdigest()[:32].encode()
    return HTML(string=document, url_fetcher=local_only(), base_url="data:,").write_pdf(
        pdf_identifier=identifier, uncompressed_pdf=False)


def volumes(catalog: Catalog, root: Path, per_organization: bool = True) -> list[Volume]:
    """Every volume: the whole directory (or one per field above `split_above` entries) and one
    brochure per organization."""
    settings = catalog.programme.print
    site = catalog.programme.site
    entries = catalog.entries
    found = []
    if len(entries) <= settings.split_above:
        found.append(volume(catalog, root, EDITION, site.title, site.subtitle, entries, catalog.organizations, settings.order))
    else:
        by_field: dict[str, list[Entry]] = {}
        for e in entries:
            by_field.setdefault(e.fields[0].id if e.fields else OTHER, []).append(e)
        names = {t.id: t.name for t in catalog.taxonomy.vocabularies.get("fields", ())}
        for field_id in [*names, OTHER]:
            mine = by_field.get(field_id)
            if mine:
                orgs = [catalog.organization(o) for o in sorted({e.org for e in mine})]
                found.append(volume(catalog, root, field_pdf(field_id), f"{site.title}·{names.get(field_id, '其他')}",
                                    site.subtitle, mine, orgs, "organization"))
    if per_organization:
        found += [brochure(catalog, root, org) for org in catalog.organizations]
    return found


def brochure(catalog: Catalog, root: Path, org: Organization) -> Volume:
    """One organization's own brochure: its profile and its entries."""
    return volume(catalog, root, organization_pdf(org), org.name, f"{catalog.programme.site.title}·组织手册",
                  catalog.entries_of(org.id), [org], "organization", policy=False)


def make(ctx: Context, vols: list[Volume], tick: Callable[[int], None] | None = None) -> Iterable[Output]:
    """The PDFs of `vols`, each memoized by its HTML (which holds everything it shows), typeset in parallel
    workers when there are many. With `tick`, in batches, calling `tick(n)` as each batch is done."""
    batch = len(vols) if tick is None else 2 * PARALLEL_MIN
    for start in range(0, len(vols), batch):
        part = vols[start:start + batch]
        documents = [(html(ctx.catalog, v),) for v in part]
        for vol, data in zip(part, ctx.memo_all(_typeset, documents)):
            yield Output(vol.path, data, tree="site")
        if tick is not None:
            tick(len(part))


def _typeset(programme: Programme, taxonomy: Taxonomy, document: str) -> bytes:
    """A volume's PDF from its HTML, which holds everything it shows (the store's key)."""
    return pdf(document)


def render(ctx: Context) -> Iterable[Output]:
    if not ctx.catalog.programme.print.build:
        return
    require_fonts()
    yield from make(ctx, volumes(ctx.catalog, ctx.root))
