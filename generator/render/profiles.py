"""Organization profiles (精准画像): one page per organization and an index of all of them.

A profile gathers the organization's facts, its key-organization and integrity status (programme
data), its coverage of the seven core capabilities, everything it lists, and its annual figures beside
the average of its peers of the same type. What is counted comes from `generator.model.metrics`.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from typing import Iterable

from ..model import metrics, urls
from ..model import Case, Catalog, Entry, Organization, Programme, Service, Taxonomy, YearFigures
from ..schemas import fields as kinds
from . import Context, Output, charts
from .frontmatter import docs_path, page
from .templating import render as render_template

INDEX = "organizations/"
MEMBER_LABELS = kinds.part_titles("organization", "members")
FIGURE_PANELS = (("events", "品牌活动（场）"), ("standards", "发布标准（项）"), ("reports", "研究报告（份）"),
                 ("platforms", "新建平台（个）"), ("cooperation_agreements", "国际合作协议（项）"))


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    types = Counter(o.type.id for o in c.organizations)
    calls = [_given(c, org, types[org.type.id] - 1) for org in c.organizations]
    for args, data in zip(calls, ctx.memo_all(_profile_page, calls)):
        yield Output(docs_path(urls.page(args[0])), data)
    yield page(INDEX, "组织名录", f"{len(c.organizations)} 家科技型社会组织的精准画像：基本情况、核心服务能力和年度服务数据。", _index(c))


def _given(c: Catalog, org: Organization, peer_count: int) -> tuple:
    """Everything one profile shows: the organization, its entries, cases and figures, its coverage of
    the offers, its peers' averages and their number."""
    return (org, tuple(c.entries_of(org.id)), tuple(c.cases_of(org.id)), tuple(c.figures_of(org.id)),
            metrics.offers(c), tuple(metrics.coverage(c, org.id)), metrics.peer_average(c, org), peer_count)


def _profile_page(programme: Programme, taxonomy: Taxonomy, org: Organization, entries: tuple[Entry, ...],
                  cases: tuple[Case, ...], figures: tuple[YearFigures, ...], offers: tuple[metrics.Offer, ...],
                  coverage: tuple[metrics.Coverage, ...], peers: dict[int, float], peer_count: int) -> bytes:
    return page(urls.page(org), org.name, org.summary, _profile(
        programme, taxonomy, org, entries, cases, figures, offers, coverage, peers, peer_count)).data


def linker(here: str):
    return lambda target: urls.relative(here, target)


def _figure_value(row, key: str) -> int:
    return metrics.standards_total(row) if key == "standards" else getattr(row, key)


def _profile(programme: Programme, taxonomy: Taxonomy, org: Organization, entries: tuple[Entry, ...],
             cases: tuple[Case, ...],
             figures: tuple[YearFigures, ...], offers: tuple[metrics.Offer, ...], coverage: tuple[metrics.Coverage, ...],
             peers: dict[int, float], peer_count: int) -> str:
    here = urls.page(org)
    used = [o for o in offers if any(row.counts.get(o.id) for row in coverage)]
    names = {o.id: o.name for o in offers}
    cap_chart = charts.bars(
        "capabilities-chart", f"{org.short_name}的核心服务能力覆盖",
        "七项核心服务能力各有多少服务产品和资源；" + "；".join(
            f"{row.capability.name} {row.total} 项" for row in coverage) + "。详见旁边的表格。",
        [charts.Bar(row.capability.name, row.total,
                    note="、".join(f"{names[k]} {v}" for k, v in row.counts.items()) or "未覆盖")
         for row in coverage], unit=" 项")

    years = sorted({f.year for f in figures})
    served_chart = panels_chart = None
    if figures:
        lines = [charts.Line(org.short_name, {f.year: f.enterprises_served for f in figures})]
        if peers:
            lines.append(charts.Line(f"同类组织平均（{org.type.name}）", {y: v for y, v in peers.items() if y in years}))
        served_chart = charts.trend(
            "served", f"{org.short_name}每年服务企业家次", "每年服务企业家次" + (
                "，与同类型组织平均值对比" if peers else "") + "：" + "；".join(
                f"{f.year} 年 {charts.fmt(f.enterprises_served)}" + (
                    f"（同类平均 {charts.fmt(peers[f.year])}）" if f.year in peers else "") for f in figures) + "。",
            years, lines)
        panels_chart = charts.multiples(
            "annual", f"{org.short_name}的年度服务数据", "各项年度数据逐年变化：" + "；".join(
                f"{label} " + "、".join(f"{f.year} 年 {_figure_value(f, key)}" for f in figures)
                for key, label in FIGURE_PANELS) + "。",
            years, [charts.Line(label, {f.year: _figure_value(f, key) for f in figures}) for key, label in FIGURE_PANELS])

    services = [e for e in entries if isinstance(e, Service)]
    resources = [e for e in entries if not isinstance(e, Service)]
    resource_kinds = {t.id: t for t in taxonomy.terms("resource_kinds")}
    resource_groups = [(resource_kinds[k], [r for r in resources if r.kind == k]) for k in resource_kinds
                       if any(r.kind == k for r in resources)]
    levels = {t.id: t.name for t in taxonomy.terms("standard_levels")}
    return render_template(
        "profiles/organization.html", org=org, link=linker(here), wording=programme.wording,
        label=partial(kinds.title, "organization"), fmt=charts.fmt,
        edit_href=urls.edit_href(here, org, programme),
        member_labels=MEMBER_LABELS, coverage=coverage, used_offers=used, cap_chart=cap_chart,
        services=services, resource_groups=resource_groups, resource_count=len(resources), cases=cases,
        figures=figures, peers=peers, peer_count=peer_count, served_chart=served_chart, panels_chart=panels_chart,
        levels=levels, panels=FIGURE_PANELS, figure_value=_figure_value,
        covered=sum(1 for row in coverage if row.total), capabilities=len(coverage),
        map_path="map/", progress_path="progress/",
    )


def _index(c: Catalog) -> str:
    rows = {r.org.id: r for r in metrics.org_rows(c)}
    groups = [(t, [o for o in c.organizations if o.type == t]) for t in c.taxonomy.terms("organization_types")]
    return render_template("profiles/index.html", groups=[g for g in groups if g[1]], rows=rows, link=linker(INDEX),
                           total=len(c.organizations), key=sum(o.key for o in c.organizations),
                           capabilities=len(c.taxonomy.terms("capabilities")))
