"""The ecosystem map: every organization once per declared field, matrices counted here from the YAML,
the directory links of each cell, and the printable poster."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

import pytest

from raw_catalog import SVG, parse_html, read, table_rows

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


@pytest.fixture(scope="module")
def raw(sample_copy):
    return read(sample_copy)


@pytest.fixture(scope="module")
def page(built_site):
    return parse_html((built_site.site / "map" / "index.html").read_text(encoding="utf-8"))


def test_every_organization_once_per_declared_field(page, raw):
    placed = Counter()
    for area in page.iter("section"):
        if "data-field" not in area.attrs:
            continue
        for tile in area.iter("li"):
            if "data-org" in tile.attrs:
                placed[(area.attrs["data-field"], tile.attrs["data-org"])] += 1
                assert tile.find("a").attrs["href"] == f"../organizations/{tile.attrs['data-org']}/"
    expected = Counter((raw.term_id("fields", f), org) for org, d in raw.orgs.items() for f in d["fields"])
    assert placed == expected
    assert set(placed.values()) == {1}
    # every field has its labelled area, empty ones included
    areas = {s.attrs["data-field"] for s in page.iter("section") if "data-field" in s.attrs}
    assert areas == {t["id"] for t in raw.taxonomy["fields"]}


def test_tiles_carry_parks_and_capabilities_for_the_filter(page, raw):
    for tile in page.iter("li"):
        org = tile.attrs.get("data-org")
        if not org:
            continue
        entries = raw.services[org] + raw.resources[org]
        parks = set(raw.orgs[org].get("parks", [])) | {p for e in entries for p in e.get("parks", [])}
        assert set(tile.attrs["data-parks"].split()) == {raw.term_id("parks", p) for p in parks}
        caps = {c for s in raw.services[org] for c in s["capabilities"]} | {
            c for r in raw.resources[org] for c in raw.resource_capabilities(r)}
        assert set(tile.attrs["data-capabilities"].split()) == {raw.term_id("capabilities", c) for c in caps}
    form = page.find("form", id="juli-map-filter")
    assert "hidden" in form.attrs  # shown by the script; without it the whole map is visible


def _matrix(page, anchor: str):
    heading = page.find("h2", id=anchor)
    siblings = heading.parent.children
    start = siblings.index(heading)
    return next(n.find("table") for n in siblings[start:] if not isinstance(n, str) and n.tag == "div" and any(n.iter("table")))


@pytest.mark.parametrize("anchor,vocabulary,key", [("matrix-park", "parks", "park"), ("matrix-capability", "capabilities", "capability")])
def test_matrix_counts_and_links(page, raw, anchor, vocabulary, key):
    table = _matrix(page, anchor)
    rows = table_rows(table)
    cols = [c.text() for c in rows[0][1:]]
    assert cols == raw.names(vocabulary)
    assert [r[0].text() for r in rows[1:]] == raw.names("fields")
    services = raw.all_services()

    def org_has(org, col):
        d = raw.orgs[org]
        if key == "park":
            return col in d.get("parks", [])
        caps = {c for s in raw.services[org] for c in s["capabilities"]} | {
            c for r in raw.resources[org] for c in raw.resource_capabilities(r)}
        return col in caps

    nonempty = gaps = 0
    for row in rows[1:]:
        field = row[0].text()
        for col, cell in zip(cols, row[1:]):
            orgs = sum(1 for o, d in raw.orgs.items() if field in d["fields"] and org_has(o, col))
            svc = sum(1 for s in services if field in s.get("fields", []) and col in s.get(vocabulary, []))
            assert (int(cell.attrs["data-orgs"]), int(cell.attrs["data-services"])) == (orgs, svc), (field, col)
            assert cell.text() == f"{orgs}/{svc}", "numbers are printed, not only shaded"
            links = list(cell.iter("a"))
            if svc:
                nonempty += 1
                href = links[0].attrs["href"]
                assert href == (f"../directory/?kind=service&field={raw.term_id('fields', field)}"
                                f"&{key}={raw.term_id(vocabulary, col)}")
            else:
                gaps += 1
                assert not links
    assert nonempty and gaps, "the sample catalog shows both covered cells and gaps"


def test_poster_svg_and_png(built_site, raw):
    svg = built_site.site / "map" / "poster.svg"
    root = ET.parse(svg).getroot()
    assert root.get("role") == "img" and root.find(f"{SVG}title").text and root.find(f"{SVG}desc").text
    links = Counter(a.get("href") for a in root.iter(f"{SVG}a"))
    base = raw.programme["site"]["base_url"]
    expected = Counter(f"{base}organizations/{org}/" for org, d in raw.orgs.items() for _ in d["fields"])
    assert links == expected
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for name in raw.names("fields"):
        assert name in texts
    png = built_site.site / "map" / "poster.png"
    from PIL import Image

    with Image.open(png) as image:
        assert image.format == "PNG"
        width, height = image.size
    view = [float(v) for v in root.get("viewBox").split()]
    assert width / view[2] == pytest.approx(height / view[3], rel=0.01)
    assert width >= 1400
    # the map page offers both
    page = (built_site.site / "map" / "index.html").read_text(encoding="utf-8")
    assert 'href="poster.svg"' in page and 'href="poster.png"' in page
