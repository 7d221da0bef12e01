"""The search index built from the model: what it holds, that any substring of the text is findable by
construction, that contributed text stays text, and that two builds write the same bytes."""

from __future__ import annotations

import filecmp
import json
import math
import shutil

import pytest
from dataclasses import replace

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.model import urls
from generator.build.files import publish
from generator.render import Context, search

HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)


def test_encoding_is_stable_and_keeps_latin_text():
    # 大 U+5927 = 22823 = 1·26³ + 7·26² + 19·26 + 21 → "bhtv"; 学 U+5B66 = 23398 → "bipy"
    assert search.encode("大学 EMC") == ["qxbhtvbipy", "qxbipyzzzz", "emc"]
    assert search.encode("银行银行") == ["qxceksbzqa", "qxbzqaceks", "qxceksbzqa", "qxbzqazzzz"]  # 银行 行银 银行 行
    assert search.encode("ＩＳＯ 9001、T/ZSA-001") == ["iso", "9001", "t", "zsa", "001"]  # NFKC, lower case, words
    # Every Han token has one length: a pair is looked up whole, a single character as a prefix.
    assert {len(t) for t in search.encode("科技型社会组织 中关村")} == {10}


def test_pinyin_tokens_read_phrases_and_index_initials():
    assert search.pinyin_tokens("银行") == ["yinhang", "hang", "yh"]  # 行 read as hang in 银行
    assert search.pinyin_tokens("知识产权", everywhere=True) == [
        "zhishi", "shichan", "chanquan", "quan", "zscq", "scq", "cq"]
    assert "qx" not in search.pinyin_tokens("医疗器械", everywhere=True)  # would be the prefix of every Han token


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a machine shared with other builds
@given(text=HAN, start=st.integers(0, 11), size=st.integers(1, 12))
def test_every_piece_of_a_text_is_a_prefix_of_its_tokens(text, start, size):
    """What search.js looks up for a query — its tiling pairs, or one character — is always indexed
    for a text that contains the query."""
    query = text[start:start + size] or text
    tokens = set(search.encode(text))
    codes = [search.MARK + search._code(ch) for ch in query]
    if len(query) == 1:
        assert any(t.startswith(codes[0]) for t in tokens)
    else:
        pairs = {search.MARK + search._code(query[i]) + search._code(query[i + 1]) for i in range(len(query) - 1)}
        assert pairs <= tokens


@pytest.mark.slow
def test_records_cover_every_published_item(built_site):
    catalog = built_site.catalog
    records = search.records(catalog)
    expected = [urls.page(i) for i in (*catalog.entries, *catalog.cases, *catalog.organizations)]
    assert [r.url for r in records] == expected
    for record in records:
        assert (built_site.site / record.url / "index.html").is_file(), record.url
        assert record.title and record.kind and record.values(search.SUMMARY)
    entry = catalog.services[0]
    record = records[0]
    assert record.title == entry.title
    assert record.kind == "服务产品"
    assert record.organization == catalog.organization(entry.org).name
    assert catalog.organization(entry.org).short_name in record.terms


def test_every_field_a_reader_searches_is_indexed_and_every_shown_term(built_site):
    """The fields the table chooses: free text (how to apply, fee notes, an organization's description, a
    case's effects) whole up to FIELD_CHARS, and every term shown on the page, weighted as a term."""
    catalog = built_site.catalog
    by_url = {r.url: r for r in search.records(catalog)}
    service = next(s for s in catalog.services if s.fee_note)
    record = by_url[urls.page(service)]
    assert service.how_to_apply[:search.FIELD_CHARS] in record.values(search.TEXT)
    assert service.fee_note in record.values(search.TEXT)
    shown = [service.fee.name, *(t.name for t in service.service_kinds + service.fields + service.audiences
                                 + service.districts + service.parks), "服务产品", *service.tags]
    assert set(shown) <= set(record.terms)
    org = next(o for o in catalog.organizations if o.description)
    assert org.description[:search.FIELD_CHARS] in by_url[urls.page(org)].values(search.TEXT)
    case = catalog.cases[0]
    assert case.effects[:search.FIELD_CHARS] in by_url[urls.page(case)].values(search.TEXT)
    indexed = search.tokens(record)
    assert indexed[search.han_tokens(service.fee.name)[0]] == search.ROLES.index(search.TERM)
    assert search.filter_token("fee", service.fee.name) in indexed
    assert indexed[search.han_tokens(service.title)[0]] == search.ROLES.index(search.TITLE)  # its weightiest role
    for kind, fields in search.INDEXED.items():  # the schemas' x-search names real fields of each kind
        item = {"case": case, "organization": org}.get(kind) or next(e for e in catalog.entries if e.kind == kind)
        for name in set(fields) - {"kind", "org", "organizations"}:
            getattr(item, name)  # AttributeError for a field the model does not hold


def test_the_lexicon_is_restricted_to_the_index(built_site):
    catalog = built_site.catalog
    found = search.records(catalog)
    lexicon = search.lexicon(catalog, found)
    pairs = dict(zip(lexicon["t2s"][::2], lexicon["t2s"][1::2]))
    assert pairs["檢"] == "检" and pairs["權"] == "权"
    indexed = "".join(v for r in found for _, values in r.found for v in values)
    assert all(s in indexed and t not in indexed for t, s in pairs.items())
    assert len(lexicon["t2s"]) < 4000
    assert lexicon["synonyms"]["ai"] == ["人工智能"] and lexicon["synonyms"]["ic"] == ["集成电路"]
    assert lexicon["synonyms"]["testing"] == ["检验检测", "检测设备"]
    assert {"zhi", "shi", "chan", "quan"} <= set(lexicon["syllables"])
    words = search.words(found)
    assert words[0] in {t for r in found for t in r.terms} and len(words) == len(set(words))


def test_a_result_shows_plain_text():
    """A result file holds what a result shows as plain text (search.js sets it with textContent): the
    snippet is the text of contributed Markdown, without its markup or link targets (raw HTML stays the
    literal text the item's page shows too)."""
    record = search.Record("directory/x/y/", "服务产品", '<script>alert(1)</script>', "某协会", "免费", ("海淀区",),
                           (("summary", ("**加粗**的摘要",)), ("text", ("[链接](javascript:alert(1))", "<i>斜体</i>"))))
    shown = search.result(record)
    assert shown["url"] == "directory/x/y/" and shown["meta"]["title"] == "<script>alert(1)</script>"
    assert shown["meta"]["text"] == "加粗的摘要\n链接\n<i>斜体</i>"


def _same_tree(a, b) -> bool:
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    others = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return files == others and not mismatch and not errors


def _index(built_site, site, cache, catalog=None):
    shutil.copytree(built_site.site, site, ignore=shutil.ignore_patterns(search.BUNDLE))
    job = search.index(Context(catalog=catalog or built_site.catalog, root=built_site.catalog.root, cache=cache),
                       background=False)
    publish(site, job.folders(site))
    return site / search.BUNDLE


def _decode(postings: str) -> list[tuple[int, int]]:
    """The format as the module docstring states it, read independently of the writer."""
    out, n, item = [], 0, -1
    for ch in postings:
        digit = search.DIGITS.index(ch)
        n = n * 32 + digit % 32
        if digit < 32:
            item += n >> 2
            out.append((item, n & 3))
            n = 0
    return out


@pytest.mark.slow
def test_the_index_holds_every_token_of_every_record_and_nothing_else(built_site, tmp_path):
    """Read back from the published files: every record's tokens with their roles, in sorted shards that
    meta.json names by their first token, each within SHARD_CHARS unless one token fills it alone, and one
    result file per record."""
    found = search.records(built_site.catalog)
    bundle = _index(built_site, tmp_path / "site", tmp_path / "cache")
    meta = json.loads((bundle / "meta.json").read_text("utf-8"))
    assert meta["items"] == len(found) and meta["weights"] == list(search.WEIGHTS.values())
    read: dict[int, dict[str, int]] = {}
    tokens = []
    for number, first in enumerate(meta["shards"]):
        shard = json.loads((bundle / "s" / f"{number}.json").read_text("utf-8"))
        assert shard[0][0] == first
        assert len(shard) == 1 or sum(len(t) + len(p) for t, p in shard) <= search.SHARD_CHARS
        for token, postings in shard:
            tokens.append(token)
            for item, role in _decode(postings):
                read.setdefault(item, {})[token] = role
    assert tokens == sorted(tokens) and len(tokens) == len(set(tokens))
    assert [read[n] for n in range(len(found))] == [search.tokens(r) for r in found]
    lengths = [search.DIGITS.index(ch) for ch in meta["lengths"]]
    assert [round(2 ** (d / search.LENGTH_STEPS)) - 1 for d in lengths][:3] == [
        round(2 ** (round(search.LENGTH_STEPS * math.log2(len(search.tokens(r)) + 1)) / search.LENGTH_STEPS)) - 1
        for r in found[:3]]
    results = sorted(int(p.stem) for p in (bundle / "f").glob("*.json"))
    assert results == list(range(len(found)))
    assert json.loads((bundle / "f" / "0.json").read_text("utf-8")) == search.result(found[0])


@pytest.mark.slow
def test_the_index_is_deterministic(built_site, tmp_path):
    """Two builds with separate caches write byte-identical indexes, and the cache keeps one."""
    one = _index(built_site, tmp_path / "one", tmp_path / "cache-one")
    two = _index(built_site, tmp_path / "two", tmp_path / "cache-two")
    assert _same_tree(one, two)
    assert len(list((tmp_path / "cache-one" / "search").iterdir())) == 1


@pytest.mark.slow
def test_a_cached_index_is_reused_only_while_the_records_are_the_same(built_site, tmp_path):
    cache = tmp_path / "cache"
    fresh = _index(built_site, tmp_path / "fresh", cache)
    (stored,) = (cache / "search").iterdir()
    reused = _index(built_site, tmp_path / "reused", cache)
    assert _same_tree(fresh, reused)
    assert (reused / "meta.json").stat().st_ino == (stored / "meta.json").stat().st_ino  # linked, not redone

    catalog = built_site.catalog
    edited = replace(catalog, services=(replace(catalog.services[0], title="独一无二的新标题"),) + catalog.services[1:])
    changed = _index(built_site, tmp_path / "changed", cache, edited)
    assert not _same_tree(fresh, changed)
    (restored,) = (cache / "search").iterdir()
    assert restored.name != stored.name
