"""Full-text search: a Pagefind index built from the model, and the search page that queries it.

Design, and why:
- The index is fed one small synthetic HTML document per published item (entry, case, organization),
  written from the model by `templates/search/record.html`, never scraped from the site's pages: the
  search stays independent of the page templates and of the site builder. Title, kind, organization
  and summary are Pagefind `meta`, so a result shows them without fetching its page.
- Chinese has no spaces, and segmenting it twice disagrees: Pagefind's extended build segments the
  index with jieba (charabia) while the browser segments the query with its own ICU dictionary
  (`Intl.Segmenter`, which differs between Chromium, WebKit and WeChat's engines). Measured on the
  sample catalog, 86 of 469 substring queries missed entries that contain them (`中小企业`: ICU keeps
  the compound, jieba splits it) and adding `jieba.cut_for_search` words did not help (Pagefind
  re-segments them). So no segmenter is trusted: every run of ideographs is indexed as its
  overlapping character pairs plus its last character, each pair encoded as one Latin token
  (`qx` + 4 letters per character) that neither segmenter touches, and search.js encodes the query
  the same way. A query then finds exactly the items that contain each of its pairs — every compound
  and every word inside one (`大学` finds 北京大学, `银行` finds 农业发展银行) — with 0 misses on the
  same 469 queries, in any browser. A one-character query is a prefix of the tokens that start with
  it. Latin text (EMC, ISO 9001, T/ZSA 001) is indexed as written.
- Memory. Pagefind holds every (token, record) pair in memory while it indexes, at roughly 0.7 KB each:
  full records (about 340 pairs each) took 2.6 GB at 10,000 records. So a pair counts once per record,
  in its weightiest field (one occurrence is all a match needs), and of long free text only the first
  DETAIL_CHARS characters are indexed; titles, summaries, kinds, organizations, taxonomy terms, tags and
  type-specific fields are indexed whole. At 10,000 generated records that is about 150 pairs a record
  and 1.25 GB in one run (bench/run.py measures it); a word that occurs only deep inside a description
  is not found, which the summary — written to say what the item is — makes rare. A large catalog is
  indexed in parts of PART_RECORDS records, one after another, merged in the browser.
- Pagefind splits the index into chunks by token and fetches only the chunks a query needs, plus one
  fragment per shown result, so a query downloads tens of KB, not the index, at 10,000 entries. The
  directory's filters never touch this index (they use the listing JSON of `listing.py`).
- `/pagefind/pagefind.js` is loaded only when a reader focuses or uses a search box.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Iterable

from ..model import urls
from ..build.files import files_under, link_tree, swap
from ..model import Case, Catalog, Entry, Organization, Service, Term
from ..schemas import fields as kinds
from . import Background, Context, Output
from .frontmatter import page as page_output
from .listing import kind_name
from .markup import plain
from .templating import render as render_template

SEARCH_PAGE = "search/"
BUNDLE = "pagefind"
ASSETS = "assets/search/"
LANGUAGE = "zh"
CASE_KIND = "典型案例"
ORGANIZATION_KIND = "社会组织"
# Pagefind's ready-made interfaces (the site has its own, assets/search/search.js) and its web worker
# (search.js runs Pagefind on the main thread: 41 KB less to fetch, a few ms per query at 10,000 records).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")
SUMMARY_CHARS = 90  # the summary shown under a result; kept short so result fragments stay small
# How much of an item's long free text (a description; a case's problem, approach, effects and body) is
# indexed: its opening characters, where a contributor says what the item is, beside everything short
# (title, summary, kind, organization, taxonomy, tags, type-specific fields). See the module docstring.
DETAIL_CHARS = 100
# Records per index part. Pagefind holds about 125 KB per record while it indexes (1.25 GB at 10,000), so
# a large catalog is indexed in parts, one Pagefind run after another, which bounds the peak near 450 MB
# whatever the size; search.js merges the parts (Pagefind's mergeIndex), at about 16 KB more per part for
# a query. The shipped catalog is one part.
PART_RECORDS = 3500
# Pagefind's allocator (jemalloc) returns freed pages at once instead of keeping them for reuse: the same
# index, about a sixth less peak memory.
ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}

# Type-specific plain-text fields of each resource kind worth finding (numbers, partners, places): the
# fields its schema marks `x-search` (generator/schemas/fields.py).
EXTRA_FIELDS = {kind: tuple(name for name, _ in kinds.searchable(kind)) for kind in kinds.resource_kinds()}


@dataclass(frozen=True)
class Record:
    """One search result: `url` is its page (site path), `text` what finds it beyond title and summary.

    `text` keeps contributed Markdown as written: the index only needs its words (Markdown punctuation
    is no word), it is never shown, and converting 10,000 descriptions to HTML would cost seconds."""

    url: str
    kind: str
    title: str
    organization: str
    summary: str
    text: str


def records(catalog: Catalog) -> list[Record]:
    """Every published item as a search record, in catalog order (entries, cases, organizations)."""
    out = [_entry(catalog, e) for e in catalog.entries]
    out += [_case(catalog, c) for c in catalog.cases]
    out += [_organization(o) for o in catalog.organizations]
    return out


def _names(terms) -> list[str]:
    return [t.name for t in terms]


def _entry(c: Catalog, e: Entry) -> Record:
    org = c.organization(e.org)
    parts = [_lead(e.description), *_names(e.capabilities), *_names(e.fields), *_names(e.audiences),
             *_names(e.parks), *_names(e.districts), *e.tags, org.short_name]
    if isinstance(e, Service):
        parts += _names(e.service_kinds)
    for name in EXTRA_FIELDS.get(e.kind, ()):
        value = getattr(e, name)
        parts += [_text(v) for v in value] if isinstance(value, tuple) else [_text(value)]
    return Record(urls.page(e), kind_name(e, c), e.title, org.name, _short(e.summary), _join(parts))


def _case(c: Catalog, case: Case) -> Record:
    orgs = [c.organization(o) for o in case.organizations]
    parts = [_lead(case.problem, case.approach, case.effects, case.body),
             *_names(case.fields), *_names(case.capabilities), *_names(case.parks), *case.enterprises, *case.tags,
             *(o.name for o in orgs[1:]), *(o.short_name for o in orgs)]
    return Record(urls.page(case), CASE_KIND, case.title, orgs[0].name, _short(case.summary), _join(parts))


def _organization(o: Organization) -> Record:
    parts = [o.short_name, o.name_en, _lead(o.description), o.type.name, *_names(o.fields), *_names(o.parks),
             *_names(o.districts)]
    return Record(urls.page(o), ORGANIZATION_KIND, o.name, "", _short(o.summary), _join(parts))


def _text(value) -> str:
    """A field's searchable text: a taxonomy term by its Chinese name, anything else as written."""
    if isinstance(value, Term):
        return value.name
    return "" if value is None else str(value)


def _short(text: str) -> str:
    text = plain(text)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


def _lead(*texts: str) -> str:
    """The opening DETAIL_CHARS characters of long free text."""
    return _join(texts)[:DETAIL_CHARS]


def _join(parts: Iterable[str]) -> str:
    return "\n".join(p for p in parts if p)


# CJK ideographs (the BMP blocks and the supplementary planes); search.js uses the same ranges.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
MARK = "qx"  # starts every encoded token; no Latin word or pinyin syllable does


@lru_cache(maxsize=None)
def _code(ch: str) -> str:
    """One ideograph as four letters a–z (base 26 of its code point)."""
    n = ord(ch)
    return "".join(chr(97 + (n // 26 ** i) % 26) for i in (3, 2, 1, 0))


def han_tokens(run: str) -> list[str]:
    """The tokens a run of ideographs is indexed as: every pair of neighbouring characters, and the last
    character alone, so any substring of one character or more is the prefix of some token."""
    codes = [_code(ch) for ch in run]
    return [MARK + a + b for a, b in zip(codes, codes[1:])] + [MARK + codes[-1]]


def encode(text: str, seen: set[str] | None = None) -> str:
    """Text as Pagefind indexes it: each run of ideographs becomes its tokens, everything else stays.
    Repeats are dropped — within the text, and of tokens already in `seen` (which collects them) — so
    the index stays small."""
    out: list[str] = []
    seen = set() if seen is None else seen
    last = 0
    for match in HAN.finditer(text):
        out.append(text[last:match.start()])
        out.extend(t for t in han_tokens(match.group()) if not (t in seen or seen.add(t)))
        last = match.end()
    out.append(text[last:])
    return " ".join(" ".join(out).split())


def document(record: Record) -> str:
    """The HTML that Pagefind indexes for one record: readable metadata (not indexed) and the encoded
    title, summary and text, weighted in that order. A pair counts once per record, in its weightiest
    field: one occurrence is all a match needs, and every extra one costs Pagefind memory."""
    seen: set[str] = set()
    title = encode(record.title, seen)
    summary = encode(" ".join((record.summary, record.kind, record.organization)), seen)
    return render_template("search/record.html", record=record, language=LANGUAGE, title=title, summary=summary,
                           text=encode(record.text, seen))


# ---------------------------------------------------------------------------------------------
# The render step (the search page and its assets) and the postprocessor (the index).


def render(ctx: Context) -> Iterable[Output]:
    body = render_template("search/page.html", assets="../" + ASSETS)
    yield page_output(SEARCH_PAGE, "搜索", f"全文搜索{ctx.catalog.programme.site.title}的服务产品、资源、典型案例和社会组织", body)
    assets = files("generator") / "assets" / "search"
    yield Output(ASSETS + "search.js", _parts_line(_part_count(_record_count(ctx.catalog))) + (assets / "search.js").read_bytes(),
                 tree="site")
    yield Output(ASSETS + "search.css", (assets / "search.css").read_bytes(), tree="site")


def _record_count(catalog: Catalog) -> int:
    """`len(records(catalog))`, without making them."""
    return len(catalog.entries) + len(catalog.cases) + len(catalog.organizations)


def _part_count(records: int) -> int:
    return max(1, -(-records // PART_RECORDS))


def _part_path(number: int) -> str:
    """Where a part of the index lives in the bundle: the first is the bundle itself."""
    return "" if number == 0 else f"part-{number}/"


def _parts_line(count: int) -> bytes:
    """The one line of search.js that depends on the catalog: the index parts it merges in."""
    return f"window.juliSearchParts = {json.dumps([_part_path(n) for n in range(1, count)])};\n".encode()


def parts(found: list[Record]) -> list[list[Record]]:
    """The records split into parts of about PART_RECORDS each, by a hash of the page address: an item
    stays in its part whatever else changes (while the number of parts does), so an edit re-indexes
    one part only."""
    count = _part_count(len(found))
    out: list[list[Record]] = [[] for _ in range(count)]
    for record in found:
        out[int(hashlib.sha256(record.url.encode()).hexdigest()[:8], 16) % count].append(record)
    return out


class Index:
    """The postprocessor: the Pagefind bundle of every record, started at once (in a forked process
    when `background`, so it is built while the pages are) and linked into `site/pagefind/` by `place`.

    Pagefind has no incremental mode, so each part is kept in the build cache under a hash of exactly
    what it is made from (its record documents, the Pagefind version and the options); a part whose
    records did not change is linked from there, byte for byte what a fresh run would write."""

    def __init__(self, ctx: Context, background: bool = True):
        catalog, store = ctx.catalog, ctx.cache / "search"
        self._work = Background(lambda: _bundles(catalog, store), fork=background)

    def place(self, site: Path) -> None:
        """Link the parts into a fresh folder in `site` and swap it in for `site/pagefind/`: a staged
        site in a build, the published one in the preview's second step (readers never see it half)."""
        bundles, pages = self._work.result()
        missing = [url for url in pages if not (site / url / "index.html").is_file()]
        if missing:
            raise RuntimeError(f"search records without a published page: {missing[:5]}")
        fresh = Path(tempfile.mkdtemp(prefix=f".{BUNDLE}-", dir=site))
        try:
            for number, bundle in enumerate(map(Path, bundles)):
                link_tree(bundle, files_under(bundle), fresh / _part_path(number))
            swap(fresh, site / BUNDLE, background=True)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise

    def cancel(self) -> None:
        self._work.cancel()


def index(ctx: Context, background: bool = True) -> Index:
    return Index(ctx, background)


def _bundles(catalog: Catalog, store: Path) -> tuple[list[str], list[str]]:
    """Make (or find) the bundle of each part in `store`; drop bundles no part uses any more. Returns the
    bundles' folders in part order and the pages the records point to."""
    found = records(catalog)
    bundles = []
    for number, part in enumerate(parts(found)):
        documents = [(r.url, document(r)) for r in part]
        bundle = store / _key(documents)
        if not bundle.is_dir():
            store.mkdir(parents=True, exist_ok=True)
            fresh = store / f".{bundle.name}.tmp"
            shutil.rmtree(fresh, ignore_errors=True)
            _run_pagefind(documents, fresh, store.with_name("search-records") / f"part-{number}")
            os.rename(fresh, bundle)
        bundles.append(bundle)
    for stale in set(store.iterdir()) - set(bundles):
        shutil.rmtree(stale, ignore_errors=True)
    for stale in store.with_name("search-records").glob("part-*"):
        if int(stale.name.removeprefix("part-")) >= len(bundles):
            shutil.rmtree(stale, ignore_errors=True)
    return [str(b) for b in bundles], [r.url for r in found]


def _write_records(folder: Path, documents: list[tuple[str, str]]) -> None:
    """Make `folder` hold exactly these record documents, writing only what changed. The folder is kept
    between builds rather than made and deleted each time: after thousands of files are deleted, ext4
    skips their inode numbers for a while and creating files gets several times slower, for the build
    running beside it too."""
    os.makedirs(folder, exist_ok=True)
    wanted = {os.path.join(url, "index.html"): html.encode("utf-8") for url, html in documents}
    present = set()
    for here, _, names in os.walk(folder):
        present.update(os.path.relpath(os.path.join(here, name), folder) for name in names)
    for rel, data in wanted.items():
        path = os.path.join(folder, rel)
        if rel in present and os.path.getsize(path) == len(data):
            with open(path, "rb") as handle:
                if handle.read() == data:
                    continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(data)
    for rel in present - wanted.keys():
        os.unlink(os.path.join(folder, rel))


def _key(documents: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"{_pagefind_version()}\0{LANGUAGE}\0{' '.join(UNUSED)}\0".encode())
    for url, html in documents:
        digest.update(f"{url}\0{html}\0".encode("utf-8"))
    return digest.hexdigest()[:32]


def _pagefind_version() -> str:
    for name in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return f"{name} {metadata.version(name)}"
        except metadata.PackageNotFoundError:
            continue
    return "external"


def _run_pagefind(documents: list[tuple[str, str]], target: Path, records: Path) -> None:
    """Index the records with one run of the Pagefind binary, from files in `records`. (Its Python API
    answers one message per 0.1 s: a quarter of an hour at 10,000 records.)"""
    from pagefind.service import get_executable

    _write_records(records, documents)
    command = [str(get_executable()), "--site", str(records), "--output-path", str(target), "--force-language", LANGUAGE,
               "--silent"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=os.environ | ALLOCATOR)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed ({done.returncode}): {done.stderr or done.stdout}")
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
