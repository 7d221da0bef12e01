"""The search index built from the model: what it holds, that any substring of the text is findable by
construction, that contributed text stays text, and that two builds write the same bytes."""

from __future__ import annotations

import pytest
import filecmp
import shutil
from dataclasses import replace

from hypothesis import HealthCheck, given, settings, strategies as st

from generator.model import urls
from generator.build.files import publish
from generator.render import Context, search

HAN = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=12)


def test_encoding_is_stable_and_keeps_latin_text():
    # 大 U+5927 = 22823 = 1·26³ + 7·26² + 19·26 + 21 → "bhtv"; 学 U+5B66 = 23398 → "bipy"
    assert search.encode("大学 EMC") == "qxbhtvbipy qxbipyzzzz EMC"
    assert search.encode("银行银行") == "qxceksbzqa qxbzqaceks qxbzqazzzz"  # 银行 行银 (银行 again dropped) 行
    # Every Han token has one length: none is a prefix of another, which Pagefind would fall back to.
    assert {len(t) for t in search.encode("科技型社会组织 中关村").split()} == {10}


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
    tokens = set(search.encode(text).split())
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
        assert record.title and record.kind and record.summary
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
    html = search.document(record)
    assert 'data-pagefind-weight="8"' in html and search.filter_token("fee", service.fee.name) in html
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


@pytest.mark.slow
def test_contributed_text_stays_text_in_the_index_documents(built_site):
    record = search.Record("directory/x/y/", "服务产品", '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>',
                           "<b>摘要</b>", "免费", ("海淀区",), (("text", ("[链接](javascript:alert(1))", "<i>x</i>")),))
    html = search.document(record)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;" in html


def _same_tree(a, b) -> bool:
    files = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    others = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    return files == others and not mismatch and not errors


def _index(built_site, site, cache, catalog=None):
    shutil.copytree(built_site.site, site, ignore=shutil.ignore_patterns("pagefind"))
    job = search.index(Context(catalog=catalog or built_site.catalog, root=built_site.catalog.root, cache=cache),
                       background=False)
    publish(site, job.folders(site))
    return site / search.BUNDLE


@pytest.mark.slow
def test_the_index_is_deterministic(built_site, tmp_path):
    """Two runs of Pagefind with separate caches write byte-identical bundles, holding only what
    search.js uses, one fragment per record, and no leftover scratch files."""
    one = _index(built_site, tmp_path / "one", tmp_path / "cache-one")
    two = _index(built_site, tmp_path / "two", tmp_path / "cache-two")
    assert _same_tree(one, two)
    names = sorted(p.name for p in one.iterdir())
    assert "pagefind.js" in names and not [n for n in names if "-ui" in n or "highlight" in n]
    assert len(list((one / "fragment").iterdir())) == len(search.records(built_site.catalog))
    assert len(list((tmp_path / "cache-one" / "search").iterdir())) == 1
    kept = [p for p in (tmp_path / "cache-one" / "search-records").rglob("*") if p.is_file()]
    assert len(kept) == len(search.records(built_site.catalog))  # the scratch records, exactly the current ones


@pytest.mark.slow
def test_a_cached_index_is_reused_only_while_the_records_are_the_same(built_site, tmp_path):
    cache = tmp_path / "cache"
    fresh = _index(built_site, tmp_path / "fresh", cache)
    (stored,) = (cache / "search").iterdir()
    reused = _index(built_site, tmp_path / "reused", cache)
    assert _same_tree(fresh, reused)
    assert (reused / "pagefind.js").stat().st_ino == (stored / "pagefind.js").stat().st_ino  # linked, not redone

    catalog = built_site.catalog
    edited = replace(catalog, services=(replace(catalog.services[0], title="独一无二的新标题"),) + catalog.services[1:])
    changed = _index(built_site, tmp_path / "changed", cache, edited)
    assert not _same_tree(fresh, changed)
    (restored,) = (cache / "search").iterdir()
    assert restored.name != stored.name


@pytest.mark.slow
def test_a_large_index_is_built_in_parts_and_an_edit_redoes_one_part(built_site, tmp_path, monkeypatch):
    """Past PART_RECORDS records the index comes in parts (each its own Pagefind run, bounding memory):
    every record is in exactly one part, search.js is told which parts to merge, and editing one record
    re-indexes only the part that holds it — the others are linked from the cache, not redone."""
    monkeypatch.setattr(search, "PART_RECORDS", 40)
    catalog = built_site.catalog
    records = search.records(catalog)
    parts = search.parts(records)
    assert len(parts) == -(-len(records) // 40) >= 3
    assert sorted(r.url for part in parts for r in part) == sorted(r.url for r in records)

    cache = tmp_path / "cache"
    bundle = _index(built_site, tmp_path / "first", cache)
    names = [f"part-{n}" for n in range(1, len(parts))]
    assert sorted(p.name for p in bundle.iterdir() if p.name.startswith("part-")) == names
    fragments = len(list((bundle / "fragment").iterdir()))
    fragments += sum(len(list((bundle / name / "fragment").iterdir())) for name in names)
    assert fragments == len(records)
    ctx = Context(catalog=catalog, root=catalog.root, cache=cache)
    script = next(o.data for o in search.render(ctx) if o.path.endswith("search.js"))
    assert script.startswith(f"window.juliSearchParts = {[n + '/' for n in names]};\n".replace("'", '"').encode())

    entry = catalog.services[0]
    edited = replace(catalog, services=(replace(entry, title="独一无二的新标题"),) + catalog.services[1:])
    assert [sorted(r.url for r in p) for p in search.parts(search.records(edited))] == [sorted(r.url for r in p) for p in parts]
    again = _index(built_site, tmp_path / "again", cache, edited)
    home = next(n for n, part in enumerate(parts) if urls.page(entry) in {r.url for r in part})
    for number in range(len(parts)):
        sub = "pagefind.js" if number == 0 else f"part-{number}/pagefind-entry.json"
        reused = (again / sub).stat().st_ino == (bundle / sub).stat().st_ino
        assert reused == (number != home), number
    assert len(list((cache / "search").iterdir())) == len(parts)
