"""Progress (行动进展): the plan's targets (programme data) beside the figures the catalog and the
annual figures add up to, by year, with the share reached; a per-organization table; and the same
numbers as `progress.json` and `progress.csv` at the site root.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Iterable

from ..model import metrics
from ..schemas import fields as kinds
from ..model.metrics import CATALOG, FIGURES, Metric, Progress
from ..model import Catalog
from . import Context, Output, charts, spreadsheet
from .frontmatter import page
from .profiles import linker
from .templating import render as render_template

PAGE = "progress/"
JSON = "progress.json"
CSV = "progress.csv"
CSV_COLUMNS = ("scope", "org", "metric", "label", "source", "year", "value", "cumulative", "target", "share")


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    p = metrics.progress(c)
    rows = metrics.org_rows(c)
    yield page(PAGE, "行动进展", f"{c.programme.wording.programme} {p.target_year} 年目标的完成情况：目录条目和各组织年度数据的合计、逐年变化与达成率。",
               _page(c, p, rows))
    yield Output(JSON, (json.dumps(_json(c, p, rows), ensure_ascii=False, indent=1) + "\n").encode("utf-8"), tree="site")
    yield Output(CSV, _csv(p, rows).encode("utf-8-sig"), tree="site")


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _headline(m: Metric, source: str, p: Progress) -> tuple[int | None, str]:
    """The value compared with the target, and what it is (which year, running total or count)."""
    value = m.reached(source, p.latest_year)
    if value is None:
        return None, ""
    if source == CATALOG:
        if m.per_year and m.catalog.by_year:
            return value, f"{p.latest_year} 年"
        return value, "目前"
    return value, f"{p.latest_year} 年" if m.per_year else f"累计至 {p.latest_year} 年"


def _page(c: Catalog, p: Progress, rows: list[metrics.OrgRow]) -> str:
    link = linker(PAGE)
    summary = []
    for m in p.metrics:
        cv, cwhen = _headline(m, CATALOG, p)
        fv, fwhen = _headline(m, FIGURES, p)
        summary.append(dict(m=m, catalog=cv, catalog_when=cwhen, catalog_share=m.share(cv),
                            figures=fv, figures_when=fwhen, figures_share=m.share(fv)))

    def primary(s: dict) -> str:
        """Each metric is compared with its target once: by the organizations' annual figures where they
        report it, else by the catalog's count (a count of listings is not the metric itself)."""
        return FIGURES if s[FIGURES] is not None else CATALOG

    for s in summary:
        if primary(s) == FIGURES:
            s[CATALOG + "_share"] = None
    items = [s for s in summary if s[primary(s)] is not None and s["m"].target]
    bars = [charts.Bar(s["m"].label, s[primary(s)], s["m"].target,
                       note=f"{'年度数据' if primary(s) == FIGURES else '目录条目'} {s[primary(s) + '_when']} · "
                            f"目标 {charts.fmt(s['m'].target)} · 达成 {charts.percent(s[primary(s) + '_share'])}")
            for s in items]
    desc = "；".join(f"{b.label} {charts.fmt(b.value)}，目标 {charts.fmt(b.target)}" for b in bars) + "。虚线为目标。"
    headline = [charts.bars("progress-summary", f"{p.target_year} 年目标达成情况", desc, bars, per_row=True)]
    yearly = []
    for year in p.years:
        bars = [charts.Bar(m.label, m.reached(FIGURES, year), m.target,
                           note=f"{'当年' if m.per_year else '累计'} · 达成 {charts.percent(m.share(m.reached(FIGURES, year)))}")
                for m in p.metrics if m.figures is not None and m.target]
        yearly.append((year, charts.bars(
            f"progress-{year}", f"{year} 年：年度数据与目标",
            "；".join(f"{b.label} {charts.fmt(b.value)}，目标 {charts.fmt(b.target)}" for b in bars) + "。", bars, per_row=True)))
    trends = []
    for m in p.metrics:
        if m.per_year and m.figures is not None:
            lines = [charts.Line("年度数据", m.figures.by_year)]
            if m.target:
                lines.append(charts.Line(f"目标 {charts.fmt(m.target)}", {y: m.target for y in p.years}))
            trends.append(charts.trend(
                f"trend-{m.id}", f"{m.label}：逐年变化", "、".join(
                    f"{y} 年 {charts.fmt(v)}" for y, v in m.figures.by_year.items()) + f"；目标每年 {charts.fmt(m.target)}。",
                p.years, lines))
    return render_template(
        "progress/progress.html", link=link, wording=c.programme.wording, p=p, summary=summary, headline=headline, yearly=yearly, trends=trends,
        rows=rows, org_metrics=metrics.ORG_METRICS, fmt=charts.fmt, percent=charts.percent,
        source_names=metrics.SOURCE_NAMES, source_notes=metrics.SOURCE_NOTES, capabilities=len(c.taxonomy.terms("capabilities")),
        json_path=JSON, csv_path=CSV,
        catalog_years=sorted({y for m in p.metrics if m.catalog for y in m.catalog.by_year}),
    )


def _json(c: Catalog, p: Progress, rows: list[metrics.OrgRow]) -> dict:
    out_metrics = []
    for m in p.metrics:
        item: dict = {"id": m.id, "label": m.label, "target": m.target, "per_year": m.per_year, "how": m.how}
        if m.catalog is not None:
            value = m.reached(CATALOG, p.latest_year)
            item["catalog"] = {"total": m.catalog.total, "by_year": {str(y): v for y, v in m.catalog.by_year.items()},
                               "reached": value, "share": _share(m.share(value))}
        if m.figures is not None:
            value = m.reached(FIGURES, p.latest_year)
            item["figures"] = {"by_year": {str(y): v for y, v in m.figures.by_year.items()},
                               "cumulative": {str(y): m.figures.cumulative(y) for y in m.figures.by_year},
                               "reached": value, "share": _share(m.share(value))}
        out_metrics.append(item)
    return {
        "title": c.programme.wording.progress_title,
        "target_year": p.target_year,
        "latest_year": p.latest_year,
        "years": list(p.years),
        "sources": {k: {"name": metrics.SOURCE_NAMES[k], "note": metrics.SOURCE_NOTES[k]} for k in (CATALOG, FIGURES)},
        "metrics": out_metrics,
        "organizations": [{
            "id": r.org.id, "name": r.org.name, "type": r.org.type.id, "key": r.org.key,
            "integrity": r.org.integrity.status.id if r.org.integrity else None,
            "services": r.services, "resources": r.resources, "cases": r.cases, "capabilities": r.capabilities,
            "catalog": r.catalog, "figures": r.figures,
        } for r in rows],
    }


class _SafeWriter:
    """A csv writer whose cells never start a spreadsheet formula (see `spreadsheet`)."""

    def __init__(self, writer):
        self.writer = writer

    def writerow(self, values) -> None:
        self.writer.writerow(spreadsheet.row(values))


def _csv(p: Progress, rows: list[metrics.OrgRow]) -> str:
    """Long format, one figure a row: totals (by source and year) first, then each organization."""
    buffer = io.StringIO()
    writer = _SafeWriter(csv.writer(buffer, lineterminator="\n"))
    writer.writerow(CSV_COLUMNS)

    def share(m: Metric, value: int | None) -> str:
        s = _share(m.share(value))
        return "" if s is None else f"{s:.4f}"

    for m in p.metrics:
        target = "" if m.target is None else m.target
        if m.catalog is not None:
            total = m.catalog.total
            writer.writerow(("total", "", m.id, m.label, CATALOG, "", total, "", target,
                             "" if m.per_year else share(m, total)))
            running = 0
            for year, value in m.catalog.by_year.items():
                running += value
                writer.writerow(("total", "", m.id, m.label, CATALOG, year, value, "" if m.per_year else running, target,
                                 share(m, value if m.per_year else running)))
        if m.figures is not None:
            for year, value in m.figures.by_year.items():
                cumulative = m.figures.cumulative(year)
                writer.writerow(("total", "", m.id, m.label, FIGURES, year, value, "" if m.per_year else cumulative, target,
                                 share(m, value if m.per_year else cumulative)))
    for r in rows:
        for key, label, value in (("services", kinds.file_title("service"), r.services),
                                  ("resources", kinds.file_title("resource"), r.resources),
                                  ("cases", kinds.file_title("case"), r.cases), ("capabilities", "覆盖核心服务能力", r.capabilities)):
            writer.writerow(("organization", r.org.id, key, label, CATALOG, "", value, "", "", ""))
        for key, label in metrics.ORG_METRICS:
            if r.catalog[key] is not None:
                writer.writerow(("organization", r.org.id, key, label, CATALOG, "", r.catalog[key], "", "", ""))
            if r.figures[key] is not None:
                yearly = key in metrics.ORG_YEARLY
                writer.writerow(("organization", r.org.id, key, label, FIGURES, p.latest_year,
                                 r.figures[key] if yearly else "", "" if yearly else r.figures[key], "", ""))
    return buffer.getvalue()
