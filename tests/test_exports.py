"""Open data: catalog.json and the CSV files round-trip to the YAML; schemas and the fields page agree."""

from __future__ import annotations

import pytest
import csv
import io
import json
from datetime import date

import yaml

from generator.render import editor_schemas
from generator import schemas
from generator.model import urls
from generator.render.exports import DOCUMENTED_KINDS, LIST_SEPARATOR

pytestmark = pytest.mark.slow  # every test here reads or makes a whole built site


def _yaml(path):
    return yaml.safe_load(path.read_text("utf-8"))


def _normal(value):
    """YAML as the loader keeps it: dates as ISO strings, block text without trailing whitespace."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def test_catalog_json_round_trips_every_yaml_field(built_site):
    c, site = built_site.catalog, built_site.site
    data = json.loads((site / "catalog.json").read_text("utf-8"))
    assert data["as_of"] and data["site"] == c.programme.site.base_url
    records = {r["uid"]: r for r in data["services"] + data["resources"]}
    assert set(records) == {e.uid for e in c.entries}
    for entry in c.entries:
        record = records[entry.uid]
        source = _yaml(c.root / entry.source)
        for key, value in source.items():
            if key == "schema_version":
                continue
            assert _normal(record[key]) == _normal(value), (entry.uid, key)
        assert record["org"] == entry.org
        assert record["page"] == urls.absolute(c.programme.site.base_url, urls.page(entry))
    cases = {r["uid"]: r for r in data["cases"]}
    for case in c.cases:
        source = _yaml(c.root / case.source)
        for key, value in source.items():
            if key in ("schema_version", "services", "resources", "images"):
                continue
            assert _normal(cases[case.uid][key]) == _normal(value), (case.uid, key)
        assert [i["alt"] for i in cases[case.uid].get("images", [])] == [i["alt"] for i in source.get("images", [])]
    orgs = {o["id"]: o for o in data["organizations"]}
    for org in c.organizations:
        source = _yaml(c.root / org.source)
        for key in ("name", "short_name", "uscc", "type", "fields", "summary"):
            assert _normal(orgs[org.id][key]) == _normal(source[key]), (org.id, key)
    assert len(data["figures"]) == len(c.figures)


def test_catalog_csv_opens_in_excel_and_round_trips(built_site):
    c, site = built_site.catalog, built_site.site
    raw = (site / "catalog.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, so Excel reads Chinese"
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["uid"] for r in rows] == [e.uid for e in c.entries]
    for row, entry in zip(rows, c.entries):
        source = _yaml(c.root / entry.source)
        assert row["title"] == source["title"]
        assert row["summary"] == source["summary"].strip()
        assert row["organization"] == c.organization(entry.org).name
        assert row["updated"] == str(source["updated"])
        for key in ("fields", "audiences", "parks"):
            assert (row[key].split(LIST_SEPARATOR) if row[key] else []) == source.get(key, []), (entry.uid, key)
        assert row["fee"] == source.get("fee", "")
    cases = list(csv.DictReader(io.StringIO((site / "cases.csv").read_bytes().decode("utf-8-sig"))))
    assert [r["title"] for r in cases] == [k.title for k in c.cases]


def test_schemas_are_published_as_validated(built_site):
    """Published as the editor schemas of `juli schemas` (vocabularies as enums); `common` as it is."""
    editor = editor_schemas.from_taxonomy(built_site.catalog.taxonomy)
    for kind in ("common",) + schemas.KINDS:
        published = (built_site.site / "schemas" / f"{kind}.schema.json").read_bytes()
        if kind == "common":
            assert json.loads(published) == schemas.load(kind)
        else:
            assert published == editor[f"{kind}.schema.json"]
            assert json.loads(published)["properties"].keys() == schemas.load(kind)["properties"].keys()


def _properties(node, prefix=""):
    """Every property name a schema defines, with allOf branches, as the fields page names them."""
    names = set()
    for name, sub in node.get("properties", {}).items():
        names.add(prefix + name)
    for branch in node.get("allOf", []):
        names |= _properties(branch.get("then", {}), prefix)
    return names


def test_fields_page_lists_every_schema_property_and_vocabulary(built_site):
    page = (built_site.site / "data" / "index.html").read_text("utf-8")
    taxonomy = built_site.catalog.taxonomy
    for kind in DOCUMENTED_KINDS:
        section = page.split(f'<details class="juli-kind" id="{kind}">')[1].split("</table>")[0]
        for name in _properties(schemas.load(kind)):
            assert f"<code>{name}</code>" in section, (kind, name)
    for kind in DOCUMENTED_KINDS:
        for path, vocabulary in schemas.vocabulary_fields(kind):
            for term in taxonomy.terms(vocabulary):
                assert term.name in page, (kind, path, term.name)
    for href in ("../catalog.json", "../catalog.csv", "../schemas/service.schema.json"):
        assert f'href="{href}"' in page


def test_exports_are_deterministic(built_site):
    from generator.render import Context, exports

    ctx = Context(catalog=built_site.catalog, root=built_site.catalog.root, cache=built_site.catalog.root / ".juli" / "cache")
    first = {o.path: o.data for o in exports.render(ctx)}
    second = {o.path: o.data for o in exports.render(ctx)}
    assert first == second
    assert first["catalog.json"] == (built_site.site / "catalog.json").read_bytes()
