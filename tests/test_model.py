"""The model stage: checked documents become frozen dataclasses with terms, dates and references resolved."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import pytest

from generator import model
from generator.checks import validate
from validator_kit import CatalogKit


@pytest.fixture
def catalog(tmp_path) -> model.Catalog:
    kit = CatalogKit(tmp_path)
    kit.event("2025-05-01", "2025-05-02")
    kit.write("catalog/organizations/test-org/figures.yml", """\
schema_version: 1
years:
  - {year: 2025, enterprises_served: 300, standards: {group: 2}}
  - {year: 2024, enterprises_served: 200}
""")
    return model.build(validate(tmp_path))


def test_vocabulary_values_become_terms(catalog):
    org = catalog.organization("test-org")
    assert org.type.id == "factor" and org.type.name == "要素类"
    assert [p.id for p in org.parks] == ["haidian"]


def test_programme_marks_key_organizations_and_integrity(catalog):
    org = catalog.organization("test-org")
    assert org.key is True
    assert org.integrity.status.name == "良好" and org.integrity.checked == date(2025, 1, 1)


def test_resources_read_their_kinds_fields_and_default_capability(catalog):
    standard = catalog.entry("test-org/group-standard")
    assert isinstance(standard, model.Resource) and standard.kind == "standard"
    assert standard.level.id == "group" and standard.number == "T/TEST 1—2024"
    assert standard.drafters == () and standard.issued is None  # declared by the schema, left out by the entry
    with pytest.raises(AttributeError):
        standard.platform_type  # another kind's field
    assert [c.id for c in standard.capabilities] == ["standards"]


def test_all_day_events_span_whole_days(catalog):
    event = catalog.entry("test-org/forum")
    assert isinstance(event, model.Event) and event.all_day
    assert event.start == datetime(2025, 5, 1, 0, 0) and event.end == datetime(2025, 5, 2, 23, 59)


def test_case_references_are_qualified_and_indexed(catalog):
    [case] = catalog.cases
    assert case.services == ("test-org/ip-consulting",) and case.resources == ("test-org/group-standard",)
    assert catalog.cases_citing("test-org/ip-consulting") == [case]
    assert catalog.cases_of("test-org") == [case]


def test_figures_are_sorted_by_year(catalog):
    assert [f.year for f in catalog.figures_of("test-org")] == [2024, 2025]
    assert catalog.figures_of("test-org")[1].standards == {"group": 2}


def test_the_model_is_read_only(catalog):
    with pytest.raises(dataclasses.FrozenInstanceError):
        catalog.organization("test-org").name = "x"


def test_the_model_refuses_a_catalog_with_errors(tmp_path):
    kit = CatalogKit(tmp_path)
    kit.edit("catalog/organizations/test-org/services/ip-consulting.yml", "fee: 免费", "fee: free")
    with pytest.raises(ValueError):
        model.build(validate(tmp_path))
