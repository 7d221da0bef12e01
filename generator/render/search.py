"""Full-text search: an index of our own, built from the model, and the search page that queries it.

Design, and why:
- The index is made from the model, one record per published item (entry, case, organization), never
  scraped from the site's pages: the search stays independent of the page templates and of the site
  builder. Which fields are indexed, and with what weight, is INDEXED, read from the schemas' `x-search`
  annotations. What a result shows (title, kind, organization, fee, districts, the text a snippet is cut
  from) is in the record's result file, so a result needs no page fetched.
- Chinese has no spaces, and segmenting it twice disagrees (a build-time segmenter and the browser's
  `Intl.Segmenter` split 中小企业 differently). So no segmenter is trusted: every run of ideographs is
  indexed as its overlapping character pairs plus its last character, each pair encoded as one Latin
  token (`qx` + 4 letters per character, END for the missing second), and search.js encodes the query
  the same way. A query then finds exactly the items that contain each of its pairs: every compound and
  every word inside one (`大学` finds 北京大学, `银行` finds 农业发展银行), in any browser. A
  one-character query is a prefix of the tokens that start with it. Latin text (EMC, ISO 9001) is
  indexed as its lower-case words; titles, summaries and terms also as pinyin (pinyin_tokens), and the
  search page's filters as words of their own (filter_token).
- Readers' ways of typing are resolved in the browser from small tables made here at build time:
  traditional → simplified (OpenCC, restricted to the index's characters), the taxonomy's English
  names and synonyms, pinyin syllables (`lexicon`); the words a near miss is corrected to (`words`).
- The format (`Index`) is made for what a phone downloads: a later query fetches only the postings of
  its words and one small result file per shown result, a first query also the index's table of
  contents. Tokens are sorted and cut into shards of about SHARD_CHARS characters (`s/<n>.json`), and `meta.json` lists the first token of each, so search.js finds the shards a word
  (or a prefix) lives in by binary search. A posting is an item's number and the role its token is
  indexed in (a token counts once per item, in its weightiest role), as base-32 varints of the gap from
  the previous item: common pairs cost about one character an item. `meta.json` also holds each item's
  token count, one character, for the ranking's length normalization (BM25, in search.js). Measured at
  10,000 entries against Pagefind, which this replaced: a first query of 243 KB and later ones of 50 and
  141 KB, where Pagefind's chunks and per-part metadata could not meet 200 and 20 (see the README).
- The directory's filters never touch this index (they use the listing JSON of `listing.py`), and
  nothing of it is loaded until a reader focuses or uses a search box.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import shutil
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
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
BUNDLE = "search-index"  # the index's folder in the site: meta.json, s/<shard>.json, f/<item>.json
ASSETS = "assets/search/"
LEXICON = ASSETS + "lexicon.json"  # loaded with the first query: traditional → simplified, synonyms, pinyin syllables
WORDS = ASSETS + "words.json"  # loaded only when a query finds nothing: the vocabulary a suggestion comes from
CASE_KIND = "典型案例"
ORGANIZATION_KIND = "社会组织"
EN_STOPWORDS = {"with", "from", "into", "other"}  # en words that name no term on their own
WORDS_MAX = 3000  # words.json at most (about 30 KB), fetched only when a query finds nothing
# How much of each free-text field (a description, how to apply, a case's effects) is indexed and kept for
# the snippet: contributors write these to a few sentences (the sample's longest is 230 characters), and
# every indexed pair is bytes a query may fetch.
FIELD_CHARS = 160
# Characters (tokens and their postings) per shard. A later query fetches one shard per word (more for a
# prefix, whose tokens may span several), so small shards keep it small; but meta.json, which every first
# query fetches, names the first token of each. At 10,000 entries: 1,667 shards, 1.3 KB compressed at the
# median, and a meta.json of 8.6 KB compressed.
SHARD_CHARS = 3000
# The digits of the postings and of the token counts: 32 end a number, 32 more carry 5 bits each to the
# next (meta.json gives search.js this string and LENGTH_STEPS).
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
LENGTH_STEPS = 6  # a token count is kept as round(LENGTH_STEPS × log2(count + 1)), one digit

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
    return Record(urls.page(e), kind, e.title, org.name, e.fee.name if e.fee else "",
                  tuple(_names(e.districts)), _found(e, e.kind, kind, [org]))


def _case(c: Catalog, case: Case) -> Record:
    orgs = [c.organization(o) for o in case.organizations]
    return Record(urls.page(case), CASE_KIND, case.title, orgs[0].name, "", (),
                  _found(case, "case", CASE_KIND, orgs))


def _organization(c: Catalog, o: Organization) -> Record:
    return Record(urls.page(o), ORGANIZATION_KIND, o.name, "", "", tuple(_names(o.districts)),
                  _found(o, "organization", ORGANIZATION_KIND, []))


def _names(terms) -> list[str]:
    return [t.name for t in terms]


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
    of some token. Every token has the same length, so search.js tells a pair (looked up whole) from a
    single character (looked up as a prefix) by its length."""
    codes = [_code(ch) for ch in run]
    return [MARK + a + b for a, b in zip(codes, codes[1:])] + [MARK + codes[-1] + END]


def encode(text: str, pinyin: bool = False, initials: bool = False) -> list[str]:
    """The tokens of a text, in order, repeats included: each run of ideographs as its pair tokens (and,
    with `pinyin`, its pinyin tokens, with `initials` from every position), everything else as its
    lower-case words (NFKC, as search.js reads a query: full-width Ｅ is e)."""
    out: list[str] = []
    last = 0
    for match in HAN.finditer(text):
        out += _latin_words(text[last:match.start()])
        out += han_tokens(match.group()) + (pinyin_tokens(match.group(), initials) if pinyin else [])
        last = match.end()
    return out + _latin_words(text[last:])


LATIN_WORD = re.compile(r"[^\W_]+")  # letters and digits; search.js splits a query with the same classes


def _latin_words(text: str) -> list[str]:
    return LATIN_WORD.findall(unicodedata.normalize("NFKC", text).lower()) if text.strip() else []


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


ROLES = tuple(WEIGHTS)  # a posting's role is its position here; meta.json gives search.js the weights


def tokens(record: Record) -> dict[str, int]:
    """What a record is indexed as: each token once, with the position in ROLES of its weightiest role
    (one occurrence is all a match needs), and the search page's filters as tokens of the last role."""
    filters = [("kind", record.kind)] + [("fee", record.fee)] * bool(record.fee) + [("district", d) for d in record.districts]
    found = dict.fromkeys((filter_token(name, value) for name, value in filters), len(ROLES) - 1)
    for role, values in sorted(record.found, key=lambda f: WEIGHTS[f[0]]):  # the lightest first: heavier ones overwrite
        number = ROLES.index(role)
        for value in values:
            found.update(dict.fromkeys(_encoded(value, role in PINYIN_ROLES, role in INITIALS_ROLES), number))
    return found


@lru_cache(maxsize=1 << 16)
def _encoded(value: str, pinyin: bool, initials: bool) -> tuple[str, ...]:
    """`encode`, once per distinct value: terms and organization names recur in every item that shows them."""
    return tuple(encode(value, pinyin, initials))


def result(record: Record) -> dict:
    """What a result shows, in the record's own file: fetched only when the result is shown."""
    shown = {record.kind, record.organization, record.fee, *record.districts}  # the tags line leaves these out
    meta = {"title": record.title, "kind": record.kind, "org": record.organization, "fee": record.fee,
            "districts": "、".join(record.districts), "terms": "、".join(t for t in record.terms if t not in shown),
            "text": record.snippet}
    return {"url": record.url, "meta": {k: v for k, v in meta.items() if v}}


def filter_token(name: str, value: str) -> str:
    """The search page's filters as words of the index, which search.js adds to the query: FILTER, the
    filter's first letter, the value's characters as codes, END (so no value's token is a prefix of
    another's). A filter is then a word every result must hold, like any other."""
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
    yield Output(ASSETS + "search.js", (assets / "search.js").read_bytes(), tree="site")
    yield Output(ASSETS + "search.css", (assets / "search.css").read_bytes(), tree="site")
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    yield Output(LEXICON, json.dumps(lexicon(catalog, found), **compact).encode(), tree="site")
    yield Output(WORDS, json.dumps(words(found), **compact).encode(), tree="site")


def _filters(catalog: Catalog, found: list[Record]) -> list[tuple[str, str, list[str]]]:
    """The search page's filters (filter_token): name, label and the values any
    record has, in taxonomy order."""
    kinds = ["服务产品", *_names(catalog.taxonomy.terms("resource_kinds")), CASE_KIND, ORGANIZATION_KIND]
    used = {"kind": {r.kind for r in found}, "fee": {r.fee for r in found},
            "district": {d for r in found for d in r.districts}}
    choices = [("kind", "类型", kinds), ("fee", "收费", _names(catalog.taxonomy.terms("fees"))),
               ("district", "所在区", _names(catalog.taxonomy.terms("districts")))]
    return [(name, label, [v for v in values if v in used[name]]) for name, label, values in choices]


class Index:
    """The postprocessor: the index of every record, made at once (in a forked process when `background`,
    so it is built while the pages are), which the build links into `site/search-index/`.

    The finished index is kept in the build cache under a hash of its own files, so an unchanged index is
    linked from there; its files are written only when some record changed."""

    def __init__(self, ctx: Context, background: bool = True):
        catalog, store = ctx.catalog, ctx.cache / "search"
        self._work = Background(lambda: _stored(catalog, store), fork=background)

    def folders(self, site: Path) -> dict[str, dict[str, Path]]:
        """The index at `search-index/`; every record's page must be in `site`."""
        folder, pages = self._work.result()
        missing = [url for url in pages if not (site / url / "index.html").is_file()]
        if missing:
            raise RuntimeError(f"search records without a published page: {missing[:5]}")
        return {BUNDLE: {"": Path(folder)}}

    def cancel(self) -> None:
        self._work.cancel()


def index(ctx: Context, background: bool = True) -> Index:
    return Index(ctx, background)


def _stored(catalog: Catalog, store: Path) -> tuple[str, list[str]]:
    """Make (or find) the index in `store`, drop any other; returns its folder and the pages its records
    point to."""
    found = records(catalog)
    made = index_files(found)
    digest = hashlib.sha256()
    for path, data in made.items():
        digest.update(f"{path}\0{len(data)}\0".encode() + data)
    folder = store / digest.hexdigest()[:32]
    if not folder.is_dir():
        fresh = store / f".{folder.name}.tmp"
        shutil.rmtree(fresh, ignore_errors=True)
        for path, data in made.items():
            target = fresh / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.rename(fresh, folder)
    for stale in set(store.iterdir()) - {folder}:
        shutil.rmtree(stale, ignore_errors=True)
    return str(folder), [r.url for r in found]


def index_files(found: list[Record]) -> dict[str, bytes]:
    """The index of these records, path → bytes (see the module docstring for the format):
    - `meta.json`: the number of items, the role weights, DIGITS and LENGTH_STEPS, the mean token count
      and each item's (one digit each), and the first token of every shard;
    - `s/<n>.json`: a shard, [[token, postings], …] in token order;
    - `f/<n>.json`: item n's result (`result`)."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    lengths: list[int] = []
    for number, record in enumerate(found):
        indexed = tokens(record)
        lengths.append(len(indexed))
        for token, role in indexed.items():
            postings[token].append(number << 2 | role)
    compact = {"ensure_ascii": False, "separators": (",", ":")}
    out: dict[str, bytes] = {}
    firsts: list[str] = []
    shard: list[list[str]] = []
    size = 0
    for token in sorted(postings, key=_utf16):
        encoded = _postings(postings[token])
        if shard and size + len(token) + len(encoded) > SHARD_CHARS:  # a common token starts a shard of its own
            out[f"s/{len(firsts) - 1}.json"] = json.dumps(shard, **compact).encode()
            shard, size = [], 0
        if not shard:
            firsts.append(token)
        shard.append([token, encoded])
        size += len(token) + len(encoded)
    if shard:
        out[f"s/{len(firsts) - 1}.json"] = json.dumps(shard, **compact).encode()
    meta = {"items": len(found), "weights": list(WEIGHTS.values()), "digits": DIGITS, "steps": LENGTH_STEPS,
            "mean": round(sum(lengths) / len(lengths), 2) if lengths else 0,
            "lengths": "".join(DIGITS[min(63, round(LENGTH_STEPS * math.log2(n + 1)))] for n in lengths),
            "shards": firsts}
    out["meta.json"] = json.dumps(meta, **compact).encode()
    for number, record in enumerate(found):
        out[f"f/{number}.json"] = json.dumps(result(record), **compact).encode()
    return out


def _utf16(token: str) -> bytes:
    """The order search.js compares strings in (UTF-16 code units), so its binary search agrees."""
    return token.encode("utf-16-be")


def _postings(entries: list[int]) -> str:
    """Item numbers with their role (number << 2 | role, ascending) as varints of (gap << 2 | role)."""
    out = []
    last = -1
    for entry in entries:
        number = entry >> 2
        out.append(_varint((number - last) << 2 | (entry & 3)))
        last = number
    return "".join(out)


@lru_cache(maxsize=4096)
def _varint(n: int) -> str:
    """n in DIGITS, most significant first: every digit but the last is one of the upper 32."""
    digits = DIGITS[n & 31]
    n >>= 5
    while n:
        digits = DIGITS[32 + (n & 31)] + digits
        n >>= 5
    return digits
