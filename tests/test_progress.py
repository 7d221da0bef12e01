"""The progress page, progress.json and progress.csv, against totals computed here from the YAML."""

from __future__ import annotations

import csv
import io
import json

import pytest

from raw_catalog import ISSUED, YEARLY_TARGETS, check_chart, inline_charts, parse_html, read, year_of


@pytest.fixture(scope="module")
def raw(sample_copy):
    return read(sample_copy)


@pytest.fixture(scope="module")
def expected(raw):
    """Every progress metric: target, catalog count (total and by year) and annual figures by year."""
    targets = raw.programme["targets"]
    resources = raw.all_resources()

    def kind(k):
        return [r for r in resources if r["kind"] == k]

    def by_year(items, when):
        out: dict[int, int] = {}
        for item in items:
            out[when(item)] = out.get(when(item), 0) + 1
        return out

    metrics = {
        "organizations": dict(target=targets["organizations"], catalog=len(raw.orgs), catalog_years={}, figures=None),
        "key_organizations": dict(target=targets["key_organizations"], catalog_years={}, figures=None,
                                  catalog=len([k for k in raw.programme["key_organizations"] if k in raw.orgs])),
        "enterprises_served": dict(target=targets["enterprises_served_per_year"], catalog=None,
                                   figures=raw.figures_by_year(lambda r: r["enterprises_served"])),
    }
    for level in raw.taxonomy["standard_levels"]:
        issued = [r for r in kind("standard") if r["level"] == level["name"] and r["status"] in ISSUED]
        metrics[f"standards.{level['id']}"] = dict(
            target=targets["standards"][level["id"]], catalog=len(issued),
            catalog_years=by_year([r for r in issued if r.get("issued")], lambda r: year_of(r["issued"])),
            figures=raw.figures_by_year(lambda r, lv=level["id"]: r.get("standards", {}).get(lv, 0)))
    metrics["reports"] = dict(target=targets["reports"], catalog=len(kind("report")),
                              catalog_years=by_year(kind("report"), lambda r: r["year"]),
                              figures=raw.figures_by_year(lambda r: r.get("reports", 0)))
    metrics["platforms"] = dict(target=targets["platforms"], catalog=len(kind("platform")), catalog_years={},
                                figures=raw.figures_by_year(lambda r: r.get("platforms", 0)))
    metrics["events"] = dict(target=targets["events_per_year"], catalog=len(kind("event")),
                             catalog_years=by_year(kind("event"), lambda r: year_of(r["start"])),
                             figures=raw.figures_by_year(lambda r: r.get("events", 0)))
    metrics["cooperation_agreements"] = dict(
        target=targets["cooperation_agreements"], catalog=len(kind("cooperation")),
        catalog_years=by_year(kind("cooperation"), lambda r: year_of(r["signed"])),
        figures=raw.figures_by_year(lambda r: r.get("cooperation_agreements", 0)))
    latest = raw.latest_year()
    for key, m in metrics.items():
        m["per_year"] = key in YEARLY_TARGETS
        if m["figures"] is not None:
            m["figures_reached"] = (m["figures"][latest] if m["per_year"]
                                    else sum(v for y, v in m["figures"].items() if y <= latest))
        if m["catalog"] is not None:
            m["catalog_reached"] = (m["catalog_years"].get(latest, 0) if m["per_year"] and m["catalog_years"]
                                    else m["catalog"])
    return metrics


def test_sample_catalog_exercises_every_metric(expected):
    """The shipped catalog has something in every source, so the checks below are not vacuous."""
    assert expected["organizations"]["catalog"] >= 10
    for key, m in expected.items():
        assert m["target"], key
        if m["figures"] is not None:
            assert sum(m["figures"].values()) > 0, key


@pytest.mark.slow
def test_progress_json_totals(built_site, raw, expected):
    data = json.loads((built_site.site / "progress.json").read_text(encoding="utf-8"))
    latest = raw.latest_year()
    assert data["target_year"] == raw.programme["targets"]["year"]
    assert data["latest_year"] == latest
    got = {m["id"]: m for m in data["metrics"]}
    assert set(got) == set(expected)
    for key, m in expected.items():
        g = got[key]
        assert g["target"] == m["target"], key
        assert g["per_year"] == m["per_year"], key
        if m["catalog"] is None:
            assert "catalog" not in g, key
        else:
            assert g["catalog"]["total"] == m["catalog"], key
            assert {int(y): v for y, v in g["catalog"]["by_year"].items()} == m["catalog_years"], key
            assert g["catalog"]["reached"] == m["catalog_reached"], key
            assert g["catalog"]["share"] == round(m["catalog_reached"] / m["target"], 4), key
        if m["figures"] is None:
            assert "figures" not in g, key
        else:
            assert {int(y): v for y, v in g["figures"]["by_year"].items()} == dict(m["figures"]), key
            for y, v in g["figures"]["cumulative"].items():
                assert v == sum(x for yy, x in m["figures"].items() if yy <= int(y)), key
            assert g["figures"]["reached"] == m["figures_reached"], key
            assert g["figures"]["share"] == round(m["figures_reached"] / m["target"], 4), key


@pytest.mark.slow
def test_progress_csv_totals(built_site, expected):
    text = (built_site.site / "progress.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    totals = [r for r in rows if r["scope"] == "total"]
    for key, m in expected.items():
        mine = [r for r in totals if r["metric"] == key]
        if m["catalog"] is not None:
            overall = [r for r in mine if r["source"] == "catalog" and r["year"] == ""]
            assert [int(r["value"]) for r in overall] == [m["catalog"]], key
            assert {int(r["year"]): int(r["value"]) for r in mine if r["source"] == "catalog" and r["year"]} == m["catalog_years"], key
        if m["figures"] is not None:
            by_year = {int(r["year"]): r for r in mine if r["source"] == "figures"}
            assert {y: int(r["value"]) for y, r in by_year.items()} == dict(m["figures"]), key
            for y, r in by_year.items():
                reached = m["figures"][y] if m["per_year"] else sum(v for yy, v in m["figures"].items() if yy <= y)
                assert float(r["share"]) == pytest.approx(reached / m["target"], abs=1e-4), key
        assert all(int(r["target"]) == m["target"] for r in mine), key


@pytest.mark.slow
def test_progress_page_shows_the_same_totals(built_site, raw, expected):
    root = parse_html((built_site.site / "progress" / "index.html").read_text(encoding="utf-8"))
    summary = root.find("table", id="juli-progress-summary")
    shown = {tr.attrs["data-metric"]: tr for tr in summary.iter("tr") if "data-metric" in tr.attrs}
    assert set(shown) == set(expected)
    for key, m in expected.items():
        cells = {c.attrs.get("data-source"): c for c in shown[key].iter("td")}
        assert shown[key].find("td").attrs["data-value"] == str(m["target"])
        assert cells["catalog"].attrs["data-value"] == ("" if m["catalog"] is None else str(m["catalog_reached"])), key
        assert cells["figures"].attrs["data-value"] == ("" if m["figures"] is None else str(m["figures_reached"])), key
        # what a reader sees, with thousands separators
        if m["figures"] is not None:
            assert f"{m['figures_reached']:,}" in cells["figures"].text(), key
    years = root.find("table", id="juli-progress-years")
    for tr in years.iter("tr"):
        if "data-metric" not in tr.attrs:
            continue
        m = expected[tr.attrs["data-metric"]]
        for td in tr.iter("td"):
            if "data-year" in td.attrs:
                y = int(td.attrs["data-year"])
                assert int(td.attrs["data-value"]) == m["figures"].get(y, 0)
                if not m["per_year"]:
                    assert int(td.attrs["data-cumulative"]) == sum(v for yy, v in m["figures"].items() if yy <= y)
    # both sources are named on the page
    text = root.text()
    assert "目录条目" in text and "年度数据" in text and "figures.yml" in text


@pytest.mark.slow
def test_per_organization_table_is_complete_and_right(built_site, raw):
    root = parse_html((built_site.site / "progress" / "index.html").read_text(encoding="utf-8"))
    table = root.find("table", id="juli-progress-orgs")
    rows = {tr.attrs["data-org"]: tr for tr in table.iter("tr") if "data-org" in tr.attrs}
    assert set(rows) == set(raw.orgs)
    latest = raw.latest_year()
    for org, tr in rows.items():
        cells = {(td.attrs["data-metric"], td.attrs["data-source"]): td.attrs["data-value"]
                 for td in tr.iter("td") if "data-metric" in td.attrs}
        resources = raw.resources[org]
        standards = [r for r in resources if r["kind"] == "standard" and r["status"] in ISSUED]
        assert cells[("standards", "catalog")] == str(len(standards))
        assert cells[("events", "catalog")] == str(sum(r["kind"] == "event" for r in resources))
        this_year = [r for r in raw.figures[org] if r["year"] == latest]
        assert cells[("enterprises_served", "figures")] == (str(this_year[0]["enterprises_served"]) if this_year else "")
        reported = [r for r in raw.figures[org] if r["year"] <= latest]
        assert cells[("reports", "figures")] == (str(sum(r.get("reports", 0) for r in reported)) if reported else "")
    # sorting is an enhancement: the table ships in full, with a script that only reorders rows
    assert "juli-sortable" in table.attrs["class"]


@pytest.mark.slow
def test_progress_charts_have_text_alternatives_and_parse(built_site):
    charts = inline_charts((built_site.site / "progress" / "index.html").read_text(encoding="utf-8"))
    assert len(charts) >= 3
    for chart in charts:
        check_chart(chart)
