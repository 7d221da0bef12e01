"""Full-text search: a Pagefind index built from the model, and the search page that queries it.

Design, and why:
- The index is fed one small synthetic HTML document per published item (entry, case, organization),
  written from the model by `templates/search/record.html`, never scraped from the site's pages: the
  search stays independent of the page templates and of the site builder. Which fields are indexed,
  and with what weight, is INDEXED, read from the schemas' `x-search` annotations. What a result shows (title, kind, organization, fee,
  districts, the text a snippet is cut from) is Pagefind `meta`, so a result needs no page fetched.
- Chinese has no spaces, and segmenting it twice disagrees: Pagefind's extended build segments the
  index with jieba (charabia) while the browser segments the query with its own ICU dictionary
  (`Intl.Segmenter`, which differs between Chromium, WebKit and WeChat's engines). Measured on the
  sample catalog, 86 of 469 substring queries missed entries that contain them (`中小企业`: ICU keeps
  the compound, jieba splits it) and adding `jieba.cut_for_search` words did not help (Pagefind
  re-segments them). So no segmenter is trusted: every run of ideographs is indexed as its
  overlapping character pairs plus its last character, each pair encoded as one Latin token
  (`qx` + 4 letters per character, END for the missing second) that neither segmenter touches, and
  search.js encodes the query the same way. A query then finds exactly the items that contain each of its pairs — every compound
  and every word inside one (`大学` finds 北京大学, `银行` finds 农业发展银行) — with 0 misses on the
  same 469 queries, in any browser. A one-character query is a prefix of the tokens that start with
  it. Latin text (EMC, ISO 9001, T/ZSA 001) is indexed as written; titles, summaries and terms also as
  pinyin (pinyin_tokens), and the search page's filters as words of their own (filter_token).
- Readers' ways of typing are resolved in the browser from small tables made here at build time:
  traditional → simplified (OpenCC, restricted to the index's characters), the taxonomy's English
  names and synonyms, pinyin syllables (`lexicon`); the words a near miss is corrected to (`words`).
- Memory. Pagefind holds every (token, record) pair in memory while it indexes, at roughly 0.7 KB each:
  full records (about 340 pairs each) took 2.6 GB at 10,000 records. So a pair counts once per record,
  in its weightiest field (one occurrence is all a match needs), and each free-text field is indexed up
  to FIELD_CHARS characters (contributors write a few sentences; the sample's longest is 230). A large
  catalog is indexed in parts of PART_RECORDS records, one after another, merged in the browser, which
  bounds the peak whatever the size (bench/run.py measures it).
- Pagefind splits the index into chunks by token and fetches only the chunks a query needs, plus one
  fragment per shown result (chunk_size; _slim_fragments), so a query downloads KB, not the index. The
  directory's filters never touch this index (they use the listing JSON of `listing.py`).
- `/pagefind/pagefind.js` is loaded only when a reader focuses or uses a search box.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import Iterable

import opencc
from pypinyin.contrib.tone_convert import to_normal
from pypinyin.phrases_dict import phrases_dict
from pypinyin.pinyin_dict import pinyin_dict

from ..model import urls
from ..model import Case, Catalog, Entry, Organization, Term
from ..schemas import fields as kinds
from . import Background, Context, Output
from .frontmatter import page as page_output
from .listing import kind_name
from .markup import plain
from .templating import render as render_template

SEARCH_PAGE = "search/"
BUNDLE = "pagefind"
ASSETS = "assets/search/"
LEXICON = ASSETS + "lexicon.json"  # loaded with the first query: traditional → simplified, synonyms, pinyin syllables
WORDS = ASSETS + "words.json"  # loaded only when a query finds nothing: the vocabulary a suggestion comes from
LANGUAGE = "zh"
CASE_KIND = "典型案例"
ORGANIZATION_KIND = "社会组织"
# Pagefind's ready-made interfaces (the site has its own, assets/search/search.js) and its web worker
# (search.js runs Pagefind on the main thread: 41 KB less to fetch, a few ms per query at 10,000 records).
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js", "pagefind-worker.js")
EN_STOPWORDS = {"with", "from", "into", "other"}  # en words that name no term on their own
WORDS_MAX = 3000  # words.json at most (about 30 KB), fetched only when a query finds nothing
SUMMARY_CHARS = 90  # the summary shown under a result; kept short so result fragments stay small
# How much of each free-text field (a description, how to apply, a case's effects) is indexed and kept for
# the snippet: contributors write these to a few sentences (the sample's longest is 230 characters), and
# Pagefind's memory grows with every indexed pair (see the module docstring).
FIELD_CHARS = 160
# Records per index part. Pagefind holds about 0.3 MB per record while it indexes (measured on the records
# of bench/generate.py's catalog: 329 MB for 1,000), so a large catalog is indexed in parts, one Pagefind
# run after another, which bounds the peak near 600 MB whatever the size; search.js merges the parts
# (Pagefind's mergeIndex), each part's metadata fetched by the first query. The shipped catalog is one part.
PART_RECORDS = 2000
# Pagefind's allocator (jemalloc) returns freed pages at once instead of keeping them for reuse: the same
# index, about a sixth less peak memory.
ALLOCATOR = {"_RJEM_MALLOC_CONF": "dirty_decay_ms:0,muzzy_decay_ms:0"}
# The size of Pagefind's index chunks (PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE, in Pagefind's own units: a chunk
# is about 1.9 bytes a unit once compressed). A query fetches one chunk per word not fetched before, so small
# chunks keep a later query small (Pagefind's default made 33 KB chunks of the shipped catalog's index,
# CHUNK_MIN makes 4 KB ones); but the index's metadata, fetched by every first query, lists every chunk,
# so a large part keeps its chunks few: (indexed words ÷ CHUNK_WORDS) units each, about 300 chunks a part.
CHUNK_MIN = 2000
CHUNK_WORDS = 110

# What a record is found by, per kind: field → role, declared by the schemas' `x-search` annotations
# (generator/schemas/fields.py). A role sets the field's weight in the ranking (WEIGHTS) and whether its
# pinyin is indexed (PINYIN_ROLES). `title` and `term` are short and indexed with their pinyin; a `term` is
# anything shown on the item's page as a label (kind, organization, taxonomy terms, tags), so a query for a
# term ranks the items tagged with it first. `summary` and `text` are free text, `text` cut to FIELD_CHARS.
# Besides schema fields: `kind` is the kind's name, `org` the organization (full and short name) and
# `organizations` a case's organizations.
TITLE, TERM, SUMMARY, TEXT = "title", "term", "summary", "text"
WEIGHTS = {TITLE: 10, TERM: 8, SUMMARY: 4, TEXT: 1}
PINYIN_ROLES = (TITLE, TERM, SUMMARY)
INITIALS_ROLES = (TITLE,)  # the initials of every position (zscq inside 海外知识产权纠纷), not only the start
INITIALS_CHARS = 8  # the longest run of initials indexed: more than a reader types
INDEXED: dict[str, dict[str, str]] = {
    **{kind: {**dict(kinds.searchable(kinds.file_of(kind), kind)), "kind": TERM, "org": TERM}
       for kind in kinds.entry_kinds()},
    "case": {**dict(kinds.searchable("case")), "kind": TERM, "organizations": TERM},
    "organization": {**dict(kinds.searchable("organization")), "kind": TERM},
}


@dataclass(frozen=True)
class Record:
    """One search result: `url` is its page (site path); `found` the indexed values of each role, in the
    order of INDEXED; the rest is what a result shows (`kind`, `fee` and `districts` are also filters).

    Contributed Markdown is kept as written where it is only indexed (Markdown punctuation is no word);
    the snippet text (`snippet`) is plain."""

    url: str
    kind: str
    title: str
    organization: str
    summary: str
    fee: str
    districts: tuple[str, ...]
    found: tuple[tuple[str, tuple[str, ...]], ...]

    def values(self, role: str) -> tuple[str, ...]:
        return next((v for r, v in self.found if r == role), ())

    @property
    def terms(self) -> tuple[str, ...]:
        return self.values(TERM)

    @property
    def snippet(self) -> str:
        """The free text a result's snippet is cut from: the summary, then each text field."""
        return "\n".join(plain(v) for v in (*self.values(SUMMARY), *self.values(TEXT)))


def records(catalog: Catalog) -> list[Record]:
    """Every published item as a search record, in catalog order (entries, cases, organizations)."""
    out = [_entry(catalog, e) for e in catalog.entries]
    out += [_case(catalog, c) for c in catalog.cases]
    out += [_organization(catalog, o) for o in catalog.organizations]
    return out


def _found(item, kind: str, kind_label: str, orgs: list[Organization]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The indexed values of an item by role, as INDEXED[kind] chooses them."""
    by_role: dict[str, list[str]] = {role: [] for role in WEIGHTS}
    for name, role in INDEXED[kind].items():
        if name == "kind":
            values = [kind_label]
        elif name in ("org", "organizations"):
            values = [n for o in orgs for n in (o.name, o.short_name)]
        else:
            values = _values(getattr(item, name))
        if role == TEXT:
            values = [v[:FIELD_CHARS] for v in values]
        by_role[role].extend(v for v in values if v and v not in by_role[role])
    return tuple((role, tuple(values)) for role, values in by_role.items())


def _values(value) -> list[str]:
    """A field's searchable strings: a taxonomy term by its Chinese name, a list item by item."""
    if isinstance(value, tuple):
        return [v for item in value for v in _values(item)]
    if isinstance(value, Term):
        return [value.name]
    return [] if value is None or isinstance(value, bool) else [str(value)]


def _entry(c: Catalog, e: Entry) -> Record:
    org = c.organization(e.org)
    kind = kind_name(e, c)
    return Record(urls.page(e), kind, e.title, org.name, _short(e.summary), e.fee.name if e.fee else "",
                  tuple(_names(e.districts)), _found(e, e.kind, kind, [org]))


def _case(c: Catalog, case: Case) -> Record:
    orgs = [c.organization(o) for o in case.organizations]
    return Record(urls.page(case), CASE_KIND, case.title, orgs[0].name, _short(case.summary), "", (),
                  _found(case, "case", CASE_KIND, orgs))


def _organization(c: Catalog, o: Organization) -> Record:
    return Record(urls.page(o), ORGANIZATION_KIND, o.name, "", _short(o.summary), "", tuple(_names(o.districts)),
                  _found(o, "organization", ORGANIZATION_KIND, []))


def _names(terms) -> list[str]:
    return [t.name for t in terms]


def _short(text: str) -> str:
    text = plain(text)
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1] + "…"


# CJK ideographs (the BMP blocks and the supplementary planes); search.js uses the same ranges.
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
MARK = "qx"  # starts every encoded token; no Latin word or pinyin syllable does (initials that would are not indexed)
END = "zzzz"  # beyond the last code point: stands for "no next character"
FILTER = "qf"  # starts every filter token


@lru_cache(maxsize=None)
def _code(ch: str) -> str:
    """One ideograph as four letters a–z (base 26 of its code point)."""
    n = ord(ch)
    return "".join(chr(97 + (n // 26 ** i) % 26) for i in (3, 2, 1, 0))


def han_tokens(run: str) -> list[str]:
    """The tokens a run of ideographs is indexed as: every pair of neighbouring characters, and the last
    character with END in place of a second one, so any substring of one character or more is the prefix
    of some token. Every token has the same length: when a query's word is in no record, Pagefind falls
    back to an indexed word that is a prefix of it, and a shorter token (the last character alone) was
    such a prefix — 低空 found a record with a run ending in 低."""
    codes = [_code(ch) for ch in run]
    return [MARK + a + b for a, b in zip(codes, codes[1:])] + [MARK + codes[-1] + END]


def encode(text: str, seen: set[str] | None = None, pinyin: bool = False, initials: bool = False) -> str:
    """Text as Pagefind indexes it: each run of ideographs becomes its tokens (and, with `pinyin`, its
    pinyin tokens, with `initials` from every position), everything else stays. Repeats are dropped — within the text, and of tokens already
    in `seen` (which collects them) — so the index stays small."""
    out: list[str] = []
    seen = set() if seen is None else seen
    last = 0
    for match in HAN.finditer(text):
        out.append(text[last:match.start()])
        tokens = han_tokens(match.group()) + (pinyin_tokens(match.group(), initials) if pinyin else [])
        out.extend(t for t in tokens if not (t in seen or seen.add(t)))
        last = match.end()
    out.append(text[last:])
    return " ".join(" ".join(out).split())


PHRASE_CHARS = 4  # the longest phrase of pypinyin's dictionary looked up


def _syllables(run: str) -> list[str]:
    """Toneless pinyin of a run of ideographs (ü as v), read as phrases where pypinyin's phrase dictionary
    has them (银行 yin hang, not yin xing), longest first, else each character's usual reading.
    (pypinyin's own conversion segments the text first: 7 s for the records of 1,000 entries.)"""
    out: list[str] = []
    at = 0
    while at < len(run):
        for size in range(min(PHRASE_CHARS, len(run) - at), 1, -1):
            readings = phrases_dict.get(run[at:at + size])
            if readings:
                out += [_toneless(r[0]) for r in readings]
                at += size
                break
        else:
            out.append(_reading(run[at]))
            at += 1
    return out


@lru_cache(maxsize=None)
def _reading(ch: str) -> str:
    readings = pinyin_dict.get(ord(ch))
    return _toneless(readings.split(",")[0]) if readings else ""


@lru_cache(maxsize=None)
def _toneless(reading: str) -> str:
    plain_reading = to_normal(reading)
    return plain_reading if plain_reading.isascii() and plain_reading.isalpha() else ""


def pinyin_tokens(run: str, everywhere: bool = False) -> list[str]:
    """The pinyin a run of ideographs is indexed as, the way the ideographs are: each pair of neighbouring
    syllables written together and the last syllable alone (知识产权 → zhishi shichan chanquan quan; a typed
    syllable is a prefix, and search.js splits a longer typed word into the same pairs), and the initials
    of the run (zscq), or with `everywhere` from each of its positions on, up to INITIALS_CHARS letters."""
    syllables = [s for s in _syllables(run) if s]
    if not syllables:
        return []
    tokens = [a + b for a, b in zip(syllables, syllables[1:])] + [syllables[-1]]
    initials = "".join(s[0] for s in syllables)
    starts = range(len(initials) - 1) if everywhere else range(min(1, len(initials) - 1))
    return tokens + [initials[i:i + INITIALS_CHARS] for i in starts if not initials.startswith(MARK, i)]


def document(record: Record) -> str:
    """The HTML that Pagefind indexes for one record: readable metadata and filters (not indexed) and the
    encoded values of each role, weighted by WEIGHTS. A pair counts once per record, in its weightiest
    role: one occurrence is all a match needs, and every extra one costs Pagefind memory."""
    seen: set[str] = set()
    roles = [(WEIGHTS[role], encode(" ".join(values), seen, role in PINYIN_ROLES, role in INITIALS_ROLES))
             for role, values in sorted(record.found, key=lambda f: -WEIGHTS[f[0]])]
    meta = {"title": record.title, "kind": record.kind, "org": record.organization, "fee": record.fee,
            "districts": "、".join(record.districts), "summary": record.summary, "terms": "、".join(record.terms),
            "text": record.snippet}
    filters = [("kind", record.kind)] + [("fee", record.fee)] * bool(record.fee) + [("district", d) for d in record.districts]
    roles.append((WEIGHTS[TEXT], " ".join(filter_token(name, value) for name, value in filters)))
    return render_template("search/record.html", record=record, language=LANGUAGE, roles=[r for r in roles if r[1]],
                           meta={k: v for k, v in meta.items() if v})


def filter_token(name: str, value: str) -> str:
    """The search page's filters as words of the index, which search.js adds to the query: FILTER, the
    filter's first letter, the value's characters as codes, END (so no value's token is a prefix of
    another's). Pagefind's own filters write their chunks in a different order on every run (a hash
    map's), which would break byte-identical builds."""
    return FILTER + name[0] + "".join(_code(ch) for ch in value) + END


# ---------------------------------------------------------------------------------------------
# What search.js reads beside the index: the lexicon (every query) and the words (suggestions).


@lru_cache(maxsize=1)
def _t2s_table() -> dict[str, str]:
    """Every ideograph OpenCC's traditional → simplified conversion changes, with its simplified form,
    converted one character at a time (phrase rules never join neighbours)."""
    chars = [chr(n) for n in range(0x3400, 0x9FFF + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {t: s for t, s in zip(chars, converted) if t != s and len(s) == 1}


def _characters(found: list[Record]) -> set[str]:
    """The ideographs of every indexed value."""
    return {ch for record in found for _, values in record.found for value in values
            for run in HAN.findall(value) for ch in run}


def lexicon(catalog: Catalog, found: list[Record]) -> dict:
    """What search.js needs for every query, kept small by restricting it to the index:
    - `t2s`: traditional → simplified, for the characters whose simplified form is in the index and which
      are not in it themselves (檢 → 检), as one string of pairs;
    - `synonyms`: a term's `en` and `synonyms`, lower case, → the names of the terms they stand for
      (ai → [人工智能]); also each word of an `en` that names at most two terms (testing → [检验检测, 检测设备]);
    - `syllables`: every pinyin syllable of the index's characters, to split a typed pinyin word."""
    chars = _characters(found)
    t2s = "".join(t + s for t, s in sorted(_t2s_table().items()) if s in chars and t not in chars)
    synonyms: dict[str, list[str]] = {}
    by_word: dict[str, list[str]] = {}
    for terms in catalog.taxonomy.vocabularies.values():
        for term in terms:
            for name in (term.en, *term.synonyms):
                if name and name.lower() != term.name and term.name not in synonyms.setdefault(name.lower(), []):
                    synonyms[name.lower()].append(term.name)
            for word in set(re.findall(r"[a-z]{4,}", term.en.lower())) - EN_STOPWORDS:
                if term.name not in by_word.setdefault(word, []):
                    by_word[word].append(term.name)
    for word, names in by_word.items():
        if len(names) <= 2:
            synonyms.setdefault(word, names)
    syllables = sorted({to_normal(r) for ch in chars for r in pinyin_dict.get(ord(ch), "").split(",") if r}
                       - {""})
    return {"t2s": t2s, "synonyms": dict(sorted(synonyms.items())),
            "syllables": [s for s in syllables if s.isascii() and s.isalpha()]}


def words(found: list[Record]) -> list[str]:
    """The words a suggestion may offer, most used first: every term and tag shown on an item (kinds,
    organizations, taxonomy terms, tags), each counted by the items carrying it; at most WORDS_MAX."""
    counts: dict[str, int] = {}
    for record in found:
        for word in record.terms:
            counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda wc: (-wc[1], wc[0]))
    return [w for w, _ in ranked if HAN.search(w)][:WORDS_MAX]


# ---------------------------------------------------------------------------------------------
# The render step (the search page and its assets) and the postprocessor (the index).


def render(ctx: Context) -> Iterable[Output]:
    catalog = ctx.catalog
    found = records(catalog)
    body = render_template("search/page.html", assets="../" + ASSETS, directory="../directory/",
                           filters=_filters(catalog, found))
    yield page_output(SEARCH_PAGE, "搜索", f"全文搜索{catalog.programme.site.title}的服务产品、资源、典型案例和社会组织", body)
    assets = files("generator") / "assets" / "search"
    yield Output(ASSETS + "search.js", _parts_line(_part_count(len(found))) + (assets / "search.js").read_bytes(),
                 tree="site")
    yield Output(ASSETS + "search.css", (assets / "search.css").read_bytes(), tree="site")
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    yield Output(LEXICON, json.dumps(lexicon(catalog, found), **compact).encode(), tree="site")
    yield Output(WORDS, json.dumps(words(found), **compact).encode(), tree="site")


def _filters(catalog: Catalog, found: list[Record]) -> list[tuple[str, str, list[str]]]:
    """The search page's filters (Pagefind filters of the records): name, label and the values any
    record has, in taxonomy order."""
    kinds = ["服务产品", *_names(catalog.taxonomy.terms("resource_kinds")), CASE_KIND, ORGANIZATION_KIND]
    used = {"kind": {r.kind for r in found}, "fee": {r.fee for r in found},
            "district": {d for r in found for d in r.districts}}
    choices = [("kind", "类型", kinds), ("fee", "收费", _names(catalog.taxonomy.terms("fees"))),
               ("district", "所在区", _names(catalog.taxonomy.terms("districts")))]
    return [(name, label, [v for v in values if v in used[name]]) for name, label, values in choices]


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
    when `background`, so it is built while the pages are), whose bundles the build links into `site/pagefind/`.

    Pagefind has no incremental mode, so each part is kept in the build cache under a hash of exactly
    what it is made from (its record documents, the Pagefind version and the options); a part whose
    records did not change is linked from there, byte for byte what a fresh run would write."""

    def __init__(self, ctx: Context, background: bool = True):
        catalog, store = ctx.catalog, ctx.cache / "search"
        self._work = Background(lambda: _bundles(catalog, store), fork=background)

    def folders(self, site: Path) -> dict[str, dict[str, Path]]:
        """`pagefind/` and the bundle of each part at its place in it; every record's page must be in `site`."""
        bundles, pages = self._work.result()
        missing = [url for url in pages if not (site / url / "index.html").is_file()]
        if missing:
            raise RuntimeError(f"search records without a published page: {missing[:5]}")
        return {BUNDLE: {_part_path(number): Path(bundle) for number, bundle in enumerate(bundles)}}

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
    options = f"{_pagefind_version()}\0{LANGUAGE}\0{' '.join(UNUSED)}\0{chunk_size(documents)}\0"
    digest = hashlib.sha256(options.encode())
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


def chunk_size(documents: list[tuple[str, str]]) -> int:
    """The index chunk size for these records (see CHUNK_MIN): the number of indexed words decides it."""
    words = sum(html.count(" ") for _, html in documents)
    return max(CHUNK_MIN, words // CHUNK_WORDS)


def _run_pagefind(documents: list[tuple[str, str]], target: Path, records: Path) -> None:
    """Index the records with one run of the Pagefind binary, from files in `records`. (Its Python API
    answers one message per 0.1 s: a quarter of an hour at 10,000 records.)"""
    from pagefind.service import get_executable

    _write_records(records, documents)
    command = [str(get_executable()), "--site", str(records), "--output-path", str(target), "--force-language", LANGUAGE,
               "--silent"]
    env = os.environ | ALLOCATOR | {"PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(chunk_size(documents))}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"pagefind failed ({done.returncode}): {done.stderr or done.stdout}")
    for name in UNUSED:
        (target / name).unlink(missing_ok=True)
    _slim_fragments(target / "fragment")


FRAGMENT_SIGNATURE = b"pagefind_dcd"


def _slim_fragments(folder: Path) -> None:
    """Drop the indexed text from every result fragment. Pagefind keeps it there for its excerpts, but
    ours is encoded tokens no reader could use (search.js cuts snippets from the `text` metadata), and
    it was half of each fragment a query fetches. Written back as Pagefind writes fragments (its
    signature, gzip), with no timestamp, so the bytes depend on the records only."""
    for path in sorted(folder.iterdir()):
        raw = gzip.decompress(path.read_bytes())
        if not raw.startswith(FRAGMENT_SIGNATURE):
            raise RuntimeError(f"not a Pagefind fragment: {path}")
        fragment = json.loads(raw[len(FRAGMENT_SIGNATURE):])
        fragment["content"] = ""
        data = FRAGMENT_SIGNATURE + json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode()
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
