"""Organization profiles: facts, programme status, capability coverage (counted here from the YAML),
annual figures beside the peer average, and charts with text alternatives."""

from __future__ import annotations

import re

from collections import Counter

import pytest

from raw_catalog import check_chart, inline_charts, parse_html, read, table_rows

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


@pytest.fixture(scope="module")
def raw(sample_copy):
    return read(sample_copy)


def _page(built_site, org: str):
    return (built_site.site / "organizations" / org / "index.html").read_text(encoding="utf-8")


def _coverage(raw, org: str) -> dict[str, Counter]:
    """Per capability name: how many of the organization's entries of each offer name serve it."""
    kinds = {t["id"]: t["name"] for t in raw.taxonomy["resource_kinds"]}
    out = {name: Counter() for name in raw.names("capabilities")}
    for s in raw.services[org]:
        for cap in s["capabilities"]:
            out[cap]["服务产品"] += 1
    for r in raw.resources[org]:
        for cap in raw.resource_capabilities(r):
            out[cap][kinds[r["kind"]]] += 1
    return out


def test_every_organization_has_a_profile_and_the_index_lists_them(built_site, raw):
    index = parse_html((built_site.site / "organizations" / "index.html").read_text(encoding="utf-8"))
    linked = {a.attrs["href"].strip("/").split("/")[-1] for a in index.iter("a", class_="juli-card-title")}
    assert linked == set(raw.orgs)
    for org in raw.orgs:
        assert (built_site.site / "organizations" / org / "index.html").is_file()


def test_capability_counts(built_site, raw):
    checked = 0
    for org in raw.orgs:
        root = parse_html(_page(built_site, org))
        table = next(t for t in root.iter("table") if "核心服务能力" in t.find("caption").text())
        rows = table_rows(table)
        head = [c.text().strip() for c in rows[0]]
        assert head[0] == "核心服务能力" and head[-1] == "合计"
        expected = _coverage(raw, org)
        seen = set()
        for row in rows[1:]:
            cap = row[0].text().strip()
            seen.add(cap)
            shown = {name: int(re.split(r"[(（]", cell.text())[0]) for name, cell in zip(head[1:-1], row[1:-1])}
            assert {k: v for k, v in shown.items() if v} == dict(expected[cap]), (org, cap)
            assert int(re.split(r"[(（]", row[-1].text())[0]) == sum(expected[cap].values()), (org, cap)
            checked += sum(expected[cap].values())
        assert seen == set(raw.names("capabilities")), org
    assert checked > 0


def test_facts_and_programme_status(built_site, raw):
    keys = set(raw.programme["key_organizations"])
    integrity = raw.programme.get("integrity", {})
    for org, data in raw.orgs.items():
        root = parse_html(_page(built_site, org))
        facts = root.find("dl", class_="juli-fields")
        labels = [dt.text() for dt in facts.iter("dt")]
        values = dict(zip(labels, [dd.text() for dd in facts.iter("dd")]))
        assert values["统一社会信用代码"] == data["uscc"]
        assert values["登记管理机关"] == data["registered_by"]
        assert values["组织类型"] == data["type"]
        for f in data["fields"]:
            assert f in values["产业领域"]
        assert values["重点组织"].startswith("是") == (org in keys)
        if org in integrity:
            assert integrity[org]["status"] in values["诚信状态"]
        else:
            assert values["诚信状态"] == "暂无记录"
        for m in data.get("international_memberships", []):
            assert m["name"] in values["国际组织成员"]


def test_lists_every_service_resource_and_case(built_site, raw, sample_copy):
    import yaml

    for org in raw.orgs:
        page = _page(built_site, org)
        for entry in raw.services[org] + raw.resources[org]:
            assert f'href="../../directory/{org}/{entry["id"]}/"' in page, (org, entry["id"])
    cases = sorted((sample_copy / "cases").glob("*/*.y*ml"))
    assert cases
    for path in cases:
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        for org in case["organizations"]:
            assert f'href="../../cases/{path.parent.name}/{case["id"]}/"' in _page(built_site, org), (org, case["id"])


def test_enterprises_served_beside_the_peer_average(built_site, raw):
    checked = 0
    for org, data in raw.orgs.items():
        root = parse_html(_page(built_site, org))
        table = next((t for t in root.iter("table") if t.find("caption").text() == "每年服务企业家次"), None)
        if not raw.figures[org]:
            assert table is None
            continue
        rows = {int(r[0].text()): r for r in table_rows(table)[1:]}
        for row in raw.figures[org]:
            peers = [f["enterprises_served"] for other, d in raw.orgs.items() if other != org and d["type"] == data["type"]
                     for f in raw.figures[other] if f["year"] == row["year"]]
            cells = rows[row["year"]]
            assert cells[1].text() == f"{row['enterprises_served']:,}"
            if peers:
                average = sum(peers) / len(peers)
                assert cells[2].text().replace(",", "") == (f"{average:.1f}" if average % 1 else str(int(average)))
                checked += 1
            else:
                assert cells[2].text() == "—"
    assert checked > 0


def test_profile_charts_have_text_alternatives(built_site, raw):
    for org in raw.orgs:
        charts = inline_charts(_page(built_site, org))
        ids = [c.get("id") for c in charts]
        assert "capabilities-chart" in ids
        if raw.figures[org]:
            assert {"served", "annual"} <= set(ids)
        for chart in charts:
            check_chart(chart)
