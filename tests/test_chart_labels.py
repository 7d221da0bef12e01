"""Trend charts label every point; labels of close values in the same year never print on top of each
other (issue 13: the organization page's first labels overlapped)."""

from __future__ import annotations

import re
from collections import defaultdict

from generator.render import charts


def test_close_values_get_separate_label_rows():
    lines = [charts.Line("本组织", {2024: 1320, 2025: 1685}), charts.Line("同类平均", {2024: 1300, 2025: 700}),
             charts.Line("目标", {2024: 1310, 2025: 1690})]
    svg = charts.trend("t", "标题", "说明", [2024, 2025], lines).document()
    rows = defaultdict(list)
    for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.-]+)"[^>]*>([\d,]+)</text>', svg):
        if text.replace(",", "") in {"1320", "1300", "1310", "1685", "700", "1690"}:
            rows[x].append(float(y))
    assert sorted(len(v) for v in rows.values()) == [3, 3]
    for ys in rows.values():
        ys.sort()
        assert all(b - a >= 14 for a, b in zip(ys, ys[1:])), ys
