"""Programme wording is data: a site for an invented second programme (another city, another taxonomy,
another policy: tests/programmes/hangzhou) is built from its files alone and names neither the shipped
programme's city, park nor programme anywhere a reader sees."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.build import build

ROOT = Path(__file__).resolve().parent.parent
SECOND = Path(__file__).resolve().parent / "programmes/hangzhou"
SHIPPED_WORDS = ("北京", "中关村", "聚力")
# Everything a reader, a feed reader or a data user gets; the theme's vendored scripts and styles excepted.
PUBLISHED = (".html", ".xml", ".json", ".csv", ".txt", ".ics", ".svg")


@pytest.fixture(scope="module")
def second_site(tmp_path_factory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("second")
    for name in ("catalog", "cases", "docs"):
        shutil.copytree(SECOND / name, root / name)
    shutil.copy(SECOND / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "overrides", root / "overrides")  # the theme, not programme data
    return root, build(root)


@pytest.mark.slow
def test_second_programme_shows_none_of_the_shipped_programmes_words(second_site):
    root, result = second_site
    site = result.site
    published = [p for p in site.rglob("*") if p.is_file() and p.suffix in PUBLISHED
                 and p.relative_to(site).parts[0] != "assets"]
    assert len([p for p in published if p.suffix == ".html"]) > 20
    found = {str(p.relative_to(site)): [w for w in SHIPPED_WORDS if w in p.read_text("utf-8", errors="replace")]
             for p in published}
    assert not {k: v for k, v in found.items() if v}


@pytest.mark.slow
def test_second_programme_uses_its_own_wording(second_site):
    _, result = second_site
    site = result.site
    assert "杭州市科技社团服务生态图谱" in next(site.glob("map/*.svg")).read_text("utf-8")  # the poster
    assert "杭州市科技型社会组织按产业领域" in (site / "map/index.html").read_text("utf-8")
    assert "《杭州市科技社团服务企业数智行动计划》" in (site / "about/index.html").read_text("utf-8")
    home = (site / "index.html").read_text("utf-8")
    assert "推动科技社团发布服务企业的产品和资源目录。" in home and "数智行动进展" in home
    page = (site / "directory/hz-digital-alliance/digital-forum/index.html").read_text("utf-8")
    assert "（东八区时间）" in page and "<dt>高新园区</dt>" not in page  # the event names no park
    facets = {f["key"]: f["label"] for f in json.loads((site / "directory/entries.json").read_text("utf-8"))["facets"]}
    assert facets["park"] == "高新园区"
    progress = json.loads((site / "progress.json").read_text("utf-8"))
    assert progress["title"] == "数智行动进展" and progress["target_year"] == 2027
