"""Search in the browser, against a real build of the sample catalog plus two entries with the compounds a
word segmenter keeps whole (中国农业发展银行, 北京大学), its index in parts as a large catalog's is.

Expected hits are written out for the tricky queries, and checked systematically against the model: every
entry whose title or summary contains a query must be found, and every hit must contain each part of it.
The query set of tests/search_queries.yml (relevance decided from the YAML) is scored for recall@10 and
MRR; the search page's snippets, highlights, filters, suggestion and empty state are driven as a reader
would, and what a query downloads is counted on the shipped catalog's build.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from generator.model import urls
from generator.build import BuildError, build
from generator.render import search
from bench import search_quality
from projects import copy_project, seed_memo

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site

AGRI = "bj-sci-tech-finance-association/agri-policy-loan"
UNIVERSITY = "zgc-talent-foundation/campus-transfer-desk"
EXTRA_ENTRIES = {
    f"catalog/organizations/{AGRI.split('/')[0]}/services/{AGRI.split('/')[1]}.yml": """\
schema_version: 1
id: agri-policy-loan
title: 涉农科技企业政策性贷款对接
service_kinds: [金融]
capabilities: [组织品牌服务活动]
fields: [科技服务业]
audiences: [初创企业]
delivery: [线下]
fee: 免费
summary: 联合中国农业发展银行北京市分行,为种业和农机装备科技企业对接政策性贷款,提供融资方案辅导。
how_to_apply: 在促进会网站提交企业基本情况和融资需求表,秘书处五个工作日内回复。
published: 2026-03-02
updated: 2026-09-15
tags: [政策性金融, 种业]
""",
    f"catalog/organizations/{UNIVERSITY.split('/')[0]}/services/{UNIVERSITY.split('/')[1]}.yml": """\
schema_version: 1
id: campus-transfer-desk
title: 高校院所成果转化驻点服务
service_kinds: [成果转化]
capabilities: [协同推进技术创新]
fields: [科技服务业]
audiences: [高校院所]
delivery: [线下]
fee: 免费
summary: 在北京大学技术转移中心设立驻点,帮助青年科研人员评估成果、对接企业并办理作价入股手续。
how_to_apply: 发送邮件预约驻点咨询时间,注明成果名称和所在院系。
published: 2026-04-10
updated: 2026-10-01
tags: [成果转化]
""",
}

# query → uids (org/id) that must be among the hits; `None` marks a query that must find nothing.
TRICKY = {
    "银行": {AGRI},                       # a word inside the compound 中国农业发展银行
    "农业发展银行": {AGRI},               # the middle of a longer compound
    "中国农业发展银行北京市分行": {AGRI},  # a whole long compound
    "大学": {UNIVERSITY},                 # a word inside 北京大学
    "北京大学": {UNIVERSITY},
    "检验检测": {"bj-testing-service-center/testing-voucher-agency", "bj-testing-service-center/emc-testing"},
    "知识产权": {"zgc-ip-service-alliance/ip-pledge-financing"},
    "质押融资": {"zgc-ip-service-alliance/ip-pledge-financing"},
    "中小企业": set(),                    # ICU keeps it whole, jieba splits it: checked against the model
    "失效分析": {"bj-ic-industry-association/chip-failure-analysis"},
    "知识产权 融资": {"zgc-ip-service-alliance/ip-pledge-financing"},  # two words: both must occur
    "电磁兼容EMC": {"bj-testing-service-center/emc-testing"},         # ideographs and Latin together
    "种业": {AGRI},                       # a tag
    "暗室": set(),
    "量子引力波": None,
    "银行大学": None,                     # both words occur in the catalog, never together
}


@pytest.fixture(scope="session")
def search_build(tmp_path_factory, warm_memo):
    """The sample catalog plus the two compound entries, built once with `juli build`."""
    root = copy_project(tmp_path_factory.mktemp("search-project"))
    seed_memo(root, warm_memo)
    for rel, text in EXTRA_ENTRIES.items():
        (root / rel).write_text(text, encoding="utf-8")
    try:
        result = build(root)
        assert (result.site / search.BUNDLE / "meta.json").is_file()
        return result
    except BuildError as error:
        pytest.fail("the search test catalog does not build:\n" + "\n".join(
            f"{p.file}:{p.line} {p.code} {p.message}" for p in error.problems), pytrace=False)


@pytest.fixture(scope="session")
def search_server(search_build, serve_site):
    return serve_site(search_build.site)


def _han(text: str) -> list[str]:
    return re.findall(r"[\u3400-\u9fff]+", text)


def _hits(page, server, query: str) -> list[dict]:
    """Every hit of `query`, run through the site's own search.js."""
    return page.evaluate("async (q) => (await window.juliSearch.ranked(q, 1000)).results", query)


def _uid(url: str) -> str:
    parts = url.strip("/").split("/")
    return "/".join(parts[1:3]) if parts[0] in {"directory", "cases"} else url


@pytest.fixture
def search_page(page, search_server):
    page.goto(search_server.url("search/"))
    page.wait_for_function("window.juliSearch !== undefined")
    return page


def test_tricky_chinese_queries_find_the_expected_entries(search_page, search_server, search_build):
    catalog = search_build.catalog
    assert catalog.entry(AGRI) and catalog.entry(UNIVERSITY)
    for query, expected in TRICKY.items():
        hits = _hits(search_page, search_server, query)
        found = {_uid(h["url"]) for h in hits}
        if expected is None:
            assert hits == [], f"{query}: expected nothing, found {sorted(found)}"
            continue
        assert expected <= found, f"{query}: missing {sorted(expected - found)}"
        # Every entry whose title or summary contains every word of the query is a hit.
        words = query.split()
        containing = {e.uid for e in catalog.entries if all(w in e.title + e.summary for w in words)}
        assert containing <= found, f"{query}: missing {sorted(containing - found)}"
        assert found, query


def _pairs(run: str) -> list[str]:
    """The character pairs search.js looks up for a run of ideographs of at most eight characters
    (the spec, written out; longer queries keep four of these pairs)."""
    pairs = [run[i:i + 2] for i in range(0, len(run) - 1, 2)]
    return pairs + [run[-2:]] if len(run) % 2 and len(run) > 1 else pairs or [run]


def test_every_hit_contains_the_query(search_page, search_server, search_build):
    """Precision: a hit holds every character pair of the query in its indexed values."""
    records = {"/" + r.url: r for r in search.records(search_build.catalog)}
    for query in ("银行", "大学", "检验检测", "知识产权", "人工智能", "碳", "集成电路"):
        hits = _hits(search_page, search_server, query)
        assert hits, query
        for hit in hits:
            text = " ".join(v for _, values in records[hit["url"]].found for v in values)
            assert all(p in text for p in _pairs(query)), f"{query}: {hit['url']} does not contain it"


def test_substrings_of_every_title_find_their_entry(search_page, search_server, search_build):
    """Any two-to-four-character piece of a title, cut anywhere, finds that title's page."""
    catalog = search_build.catalog
    queries: dict[str, set[str]] = {}
    for item in catalog.entries + catalog.cases:
        for run in _han(item.title):
            for size in (2, 3, 4):
                for start in range(0, max(len(run) - size + 1, 0), 3):
                    queries.setdefault(run[start:start + size], set()).add("/" + urls.page(item))
    results = search_page.evaluate(
        """async (qs) => {
            const out = {};
            for (const q of qs) out[q] = (await window.juliSearch.ranked(q, 1000)).results.map(r => r.url);
            return out;
        }""", sorted(queries))
    missed = {q: sorted(urls_ - set(results[q])) for q, urls_ in queries.items() if urls_ - set(results[q])}
    assert len(queries) > 200
    assert not missed, f"{len(missed)} of {len(queries)} queries missed pages: {dict(list(missed.items())[:10])}"


def test_search_page_shows_kind_and_organization_and_keeps_the_query_in_the_url(search_page, search_server, search_build):
    page = search_page
    box = page.get_by_label("搜索服务产品、资源、典型案例和社会组织")
    box.fill("农业发展银行")
    status = page.locator("[data-juli-search=page] .juli-search__status")
    status.filter(has_text="农业发展银行").wait_for()
    assert page.url.endswith("?q=" + quote("农业发展银行"))
    entry = search_build.catalog.entry(AGRI)
    org = search_build.catalog.organization(entry.org)
    result = page.locator(".juli-result", has=page.locator(f"a[href='/{urls.page(entry)}']"))
    result.wait_for()
    assert result.locator(".juli-result__kind").inner_text() == "服务产品"
    assert result.locator(".juli-result__org").inner_text() == org.name
    assert result.locator(".juli-result__fee").inner_text() == entry.fee.name
    snippet = result.locator(".juli-result__summary")
    assert "中国农业发展银行北京市分行" in snippet.inner_text()  # the text around the match
    assert snippet.locator("mark").all_inner_texts() == ["农业发展银行"]
    assert "找到" in status.inner_text()
    assert status.get_attribute("aria-live") == "polite"

    page.reload()
    page.locator(".juli-result a", has_text=entry.title).wait_for()
    assert page.get_by_label("搜索服务产品、资源、典型案例和社会组织").input_value() == "农业发展银行"

    page.locator(".juli-result a", has_text=entry.title).click()
    page.wait_for_url(search_server.url(urls.page(entry)))


def test_no_results_is_announced(search_page):
    search_page.get_by_label("搜索服务产品、资源、典型案例和社会组织").fill("量子引力波")
    status = search_page.locator("[data-juli-search=page] .juli-search__status")
    status.filter(has_text="没有找到").wait_for()
    assert search_page.locator("[data-juli-search=page] .juli-result").count() == 0


def test_keyboard_only_search_from_the_header(new_page, search_server, search_build):
    """On a wide screen the header box searches as one types; Enter opens the search page with the query."""
    page = new_page(width=1280, height=800)
    page.goto(search_server.url(""))
    assert not [u for u in page.traffic.urls() if "/search-index/" in u], "the index loaded before any search"
    box = page.get_by_label("搜索服务产品、资源、案例和组织")
    box.focus()
    page.wait_for_function("window.juliSearch !== undefined")
    page.keyboard.type("北京大学")
    panel = page.locator("#juli-hsearch-panel")
    panel.locator(".juli-result").first.wait_for()
    entry = search_build.catalog.entry(UNIVERSITY)
    assert panel.locator(f"a[href='/{urls.page(entry)}']").count() == 1
    assert any("/search-index/" in u for u in page.traffic.urls())
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('juli-result__title')")
    page.keyboard.press("Escape")
    assert panel.is_hidden()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    page.locator(f".juli-result a[href='/{urls.page(entry)}']").wait_for()


def test_phone_header_button_opens_the_search_page(page, search_server):
    page.goto(search_server.url("directory/"))
    assert page.get_by_label("搜索服务产品、资源、案例和组织").is_hidden()
    page.locator(".juli-hsearch__button").click()
    page.wait_for_url("**/search/?q=")
    assert page.evaluate("document.activeElement.id") == "juli-search-q"


@pytest.mark.parametrize("path", ["", "directory/", "entry", "case"])
def test_pages_do_not_load_the_search_index(page, search_server, search_build, path):
    catalog = search_build.catalog
    path = {"entry": urls.page(catalog.entries[0]), "case": urls.page(catalog.cases[0])}.get(path, path)
    page.goto(search_server.url(path))
    page.wait_for_load_state("networkidle")
    assert not [u for u in page.traffic.urls() if "/search-index/" in u]


def test_a_query_downloads_little(page, site_server):
    """On the shipped catalog: the first query fetches the index's table of contents, the lexicon, the
    shards holding its words and a result file per shown result (≤ 200 KB); a later query only shards and
    result files (≤ 20 KB). (Figures at 10,000 entries come from the benchmark.)"""
    page.goto(site_server.url("search/"))
    page.wait_for_load_state("networkidle")
    box = page.get_by_label("搜索服务产品、资源、典型案例和社会组织")
    start = len(page.traffic.requests)
    box.fill("知识产权")
    page.locator("[data-juli-search=page] .juli-search__status").filter(has_text="知识产权").wait_for()
    first = page.traffic.bytes_since(start)
    start = len(page.traffic.requests)
    box.fill("电磁兼容")
    page.locator("[data-juli-search=page] .juli-search__status").filter(has_text="电磁兼容").wait_for()
    later = page.traffic.bytes_since(start)
    fetched = [u.split("/search-index/")[1] for u in page.traffic.urls() if "/search-index/" in u]
    assert fetched.count("meta.json") == 1 and all(re.fullmatch(r"meta\.json|[sf]/\d+\.json", u) for u in fetched), fetched
    assert len([u for u in fetched if u.startswith("f/")]) <= 20, fetched  # one per shown result, 10 a query
    assert 0 < first <= 200_000, first
    assert 0 < later <= 20_000, (first, later)
    assert not [u for u in page.traffic.urls() if "words.json" in u]


def test_query_set_recall_and_mrr(search_page, search_build):
    """The query set readers type (terms, words in any field, traditional characters, pinyin and initials,
    English names and synonyms, mixed queries, near misses), relevance from the YAML: recall@10 ≥ 0.95 and
    MRR ≥ 0.9 through the page's own search code, and nothing at all for what the catalog does not hold."""
    queries = search_quality.queries()
    assert len(queries) >= 60
    catalog = search_quality.items(search_build.catalog.root, search_build.site)
    answers = search_quality.run(search_page, [q["q"] for q in queries])
    report = search_quality.score(queries, catalog, answers)
    assert report["empty_queries"] >= 2 and not report["empty_with_results"], report["empty_with_results"]
    assert report["recall_at_10"] >= 0.95, report
    assert report["mrr"] >= 0.9, report
    for kind in ("traditional", "pinyin", "initials", "english", "synonym", "mixed", "near-miss", "field"):
        assert report["recall_by_type"][kind] >= 0.9, (kind, [m for m in report["misses"] if m["type"] == kind])


def _status(page):
    return page.locator("[data-juli-search=page] .juli-search__status")


def test_a_near_miss_is_offered_as_did_you_mean(search_page, search_server):
    page = search_page
    page.get_by_label("搜索服务产品、资源、典型案例和社会组织").fill("知识产全")
    suggestion = page.locator(".juli-search__suggestion")
    suggestion.filter(has_text="您是不是要找").wait_for()
    link = suggestion.get_by_role("link", name="知识产权")
    assert link.get_attribute("href") == "/search/?q=" + quote("知识产权")
    assert "没有找到与“知识产全”相关的结果" in _status(page).inner_text()
    first = page.locator(".juli-result").first
    assert "知识产权" in first.inner_text()
    assert page.locator(".juli-result mark", has_text="知识产权").count() > 0
    link.click()
    page.wait_for_url("**/search/?q=*")
    _status(page).filter(has_text="找到").wait_for()
    assert page.locator(".juli-search__suggestion").is_hidden()


def test_nothing_found_shows_nothing_unrelated_and_helps(search_page, search_server):
    page = search_page
    page.get_by_label("搜索服务产品、资源、典型案例和社会组织").fill("低空")
    _status(page).filter(has_text="没有找到").wait_for()
    empty = page.locator(".juli-search__empty")
    empty.wait_for()
    assert page.locator(".juli-result").count() == 0
    assert page.locator(".juli-search__suggestion").is_hidden()
    directory = empty.get_by_role("link", name="目录")
    assert directory.get_attribute("href") == "../directory/"
    tries = empty.locator(".juli-search__try a")
    tries.first.wait_for()
    assert 1 <= tries.count() <= 6
    word = tries.first.inner_text()
    tries.first.click()
    page.wait_for_url("**/search/?q=*")
    _status(page).filter(has_text="找到").wait_for()
    assert page.get_by_label("搜索服务产品、资源、典型案例和社会组织").input_value() == word
    directory = page.locator(".juli-search__empty")
    assert directory.is_hidden()


def test_filters_narrow_results_and_live_in_the_url(search_page, search_server, search_build):
    page = search_page
    box = page.get_by_label("搜索服务产品、资源、典型案例和社会组织")
    box.fill("检测")
    _status(page).filter(has_text="找到").wait_for()
    everything = page.locator(".juli-result").count()
    assert page.get_by_label("收费").is_hidden()  # folded away: results first on a phone
    page.get_by_text("筛选：类型、收费、所在区").click()
    page.get_by_label("收费").select_option("免费")
    _status(page).filter(has_text="已按所选条件筛选").wait_for()
    assert "fee=" + quote("免费") in page.url
    fees = page.locator(".juli-result__fee").all_inner_texts()
    assert fees and set(fees) == {"免费"}
    free = [r for r in search.records(search_build.catalog)
            if r.fee == "免费" and "检测" in " ".join(v for _, values in r.found for v in values)]
    assert f"找到 {len(free)} 条" in _status(page).inner_text()
    assert len(fees) <= everything
    page.get_by_label("类型").select_option("服务产品")
    _status(page).filter(has_text="已按所选条件筛选").wait_for()
    page.wait_for_function("document.querySelectorAll('.juli-result__kind').length > 0")
    assert set(page.locator(".juli-result__kind").all_inner_texts()) == {"服务产品"}
    page.reload()
    _status(page).filter(has_text="已按所选条件筛选").wait_for()
    assert page.get_by_label("收费").is_visible()  # unfolded when a filter is set
    assert page.get_by_label("收费").input_value() == "免费"
    assert page.get_by_label("类型").input_value() == "服务产品"


def test_readers_ways_of_typing_on_the_page(search_page, search_server, search_build):
    """Traditional characters, pinyin and an English abbreviation find what the Chinese word finds, and the
    matched word is highlighted in the result."""
    page = search_page
    box = page.get_by_label("搜索服务产品、资源、典型案例和社会组织")
    expected = {}
    for query, word in (("知识产权", "知识产权"), ("知識產權", "知识产权"), ("zhishichanquan", None), ("AI", "人工智能"),
                        ("AI 标准", "人工智能"), ("检测 免费", "检测")):
        box.fill(query)
        _status(page).filter(has_text=f"“{query}”").wait_for()
        assert "找到" in _status(page).inner_text(), query
        titles = page.locator(".juli-result__title").all_inner_texts()
        expected.setdefault(word or "知识产权", titles)
        if word:
            assert page.locator(".juli-result mark", has_text=word).count() > 0, query
    assert expected["知识产权"][:3] == page.evaluate(
        "async () => (await window.juliSearch.ranked('知識產權', 3)).results.map(r => r.meta.title)")


def test_search_page_has_no_serious_accessibility_violations(search_page, axe, axe_report):
    search_page.get_by_label("搜索服务产品、资源、典型案例和社会组织").fill("检测")
    _status(search_page).filter(has_text="找到").wait_for()
    violations = axe(search_page)
    assert not violations, axe_report(violations)
