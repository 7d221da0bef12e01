"""Weibo texts counted by Weibo's rules (half-units; a URL is a fixed 20) and cut between whole units."""

from __future__ import annotations

import re

import pytest

from hypothesis import given, settings, strategies as st

from generator.render import weibo

URL = "https://juli.example.org/directory/bj-ai-industry-alliance/ai-going-global/"
ZWJ_FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"  # one emoji, five code points
FLAG = "\U0001F1E8\U0001F1F3"


def test_counting_by_weibo_rules():
    assert weibo.length("abc") == 2  # 3 half-units
    assert weibo.length("中文") == 2
    assert weibo.length("AI大模型") == 4  # 2 + 3×2 = 8 half-units
    assert weibo.length("café") == 2  # é is U+00E9: one half-unit
    assert weibo.length("—") == 1  # U+2014 is BMP beyond U+00FF: two half-units
    assert weibo.units("👍") == 4 and weibo.length("👍a") == 3
    assert weibo.units(ZWJ_FAMILY) == 4 * 3 + 2 * 2  # every code point counts, the joiners too
    assert weibo.length(URL) == 10
    assert weibo.length("见 http://a.cn/x 和 https://example.org/very/long/path?q=1&r=2#top 。") == (3 + 20 + 4 + 20 + 3) // 2  # "见 " 3, " 和 " 4, " 。" 3


def test_several_urls_count_twenty_each_and_stop_at_chinese():
    text = f"报名{URL}或咨询https://b.example.org/联系我们"
    assert [m.group() for m in weibo.URL.finditer(text)] == [URL, "https://b.example.org/"]
    assert weibo.units(text) == 4 + 20 + 6 + 20 + 8


def test_short_post_for_a_very_long_title_fits_and_keeps_link_topic_and_org():
    title = "面向集成电路与智能网联汽车企业的" * 12
    post = weibo.short_post(title, "摘要不会出现,因为标题已占满。", "京智联盟", URL, "聚力行动")
    assert post.length <= 140
    assert post.text.startswith("#聚力行动#【")
    assert post.text.endswith(f" —京智联盟 {URL}")
    assert "…】" in post.text and "摘要" not in post.text
    assert post.length >= 139  # the title uses the room it has


def test_short_post_keeps_urls_in_the_summary_whole():
    summary = "详情见 " + " ".join(f"https://example.org/page/{i}/" for i in range(12)) + " 欢迎报名"
    post = weibo.short_post("活动", summary, "京智联盟", URL, "聚力行动")
    assert post.length <= 140
    found = weibo.URL.findall(post.text)
    assert found[-1] == URL
    for url in found[:-1]:
        assert re.fullmatch(r"https://example\.org/page/\d+/", url), url
    assert "…" in post.text


def test_short_post_never_splits_an_emoji_or_a_surrogate_pair():
    for pad in range(0, 8):
        title = "测" * pad + (ZWJ_FAMILY + FLAG + "👍🏽") * 40
        post = weibo.short_post(title, "", "京智联盟", URL, "聚力行动")
        assert post.length <= 140
        post.text.encode("utf-8")  # no lone surrogate
        kept = post.text[post.text.index("【") + 1:post.text.index("…】")]
        clusters = list(weibo.atoms(kept))
        assert set(clusters) <= {"测", ZWJ_FAMILY, FLAG, "👍🏽"}, clusters


def test_contributed_hash_and_at_signs_cannot_open_topics_or_mentions():
    post = weibo.short_post("#假话题# 联系 @某人", "摘要", "京智联盟", URL, "聚力行动")
    assert post.text.count("#") == 2 and "@" not in post.text


def test_long_post_within_2000_with_every_part():
    details = ["时间:2026-12-01 09:00–17:00", "报名:https://example.org/signup"] + ["很长的介绍。" * 200] * 3
    post = weibo.long_post("标题", "摘要", details, "北京人工智能产业创新联盟(示例)", URL, "聚力行动")
    assert 1900 < post.length <= 2000
    assert post.text.startswith("#聚力行动#【标题】") and post.text.endswith(f"详情\uff1a{URL}")
    assert "报名:https://example.org/signup" in post.text


text_strategy = st.lists(
    st.sampled_from(list("abc XYZ中文字。,é—") + ["👍", "🏽", "\u200d", "\U0001F1E8", "\U0001F1F3", " https://x.cn/p ", "\u0301"]),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=text_strategy, budget=st.integers(min_value=2, max_value=120))
def test_truncate_stays_within_budget_at_atom_boundaries(text, budget):
    cut = weibo.truncate(text, budget)
    assert weibo.units(cut) <= budget
    if cut == text:
        return
    assert cut == "" or cut.endswith("…")
    head = cut[:-1]
    assert text.startswith(head)
    pieces = list(weibo.atoms(text))
    boundaries = {sum(len(p) for p in pieces[:i]) for i in range(len(pieces) + 1)}
    assert len(head) in boundaries or text[:len(head)].rstrip(" \t\n,,、;;::") == head


@pytest.mark.parametrize("text, clusters", [
    ("e\u0301a", ["e\u0301", "a"]),                              # a combining acute accent
    ("\u0915\u094d\u0937", ["\u0915\u094d\u0937"]),              # a Devanagari conjunct (GB9c, Unicode 15.1)
    ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"]),              # a Hangul syllable from conjoining jamo
    ("\r\n", ["\r\n"]),                                          # CR LF is one cluster
    ("👩\u200d👩\u200d👧\u200d👦", ["👩\u200d👩\u200d👧\u200d👦"]),  # a ZWJ family
    ("🇨🇳🇯🇵🇺", ["🇨🇳", "🇯🇵", "🇺"]),                                  # flags pair regional indicators
    ("1\ufe0f\u20e3", ["1\ufe0f\u20e3"]),                          # a keycap
    ("\u0e01\u0e33", ["\u0e01\u0e33"]),                            # Thai SARA AM is a spacing mark
])
def test_clusters_follow_unicode(text, clusters):
    """Cut points agree with Unicode's grapheme rules; expected values from UAX #29's own examples."""
    assert list(weibo.atoms(text)) == clusters
