"""The printed directory: `juli print` and the PDFs the build publishes under site/print/."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from generator import model
from generator.checks import validate
from generator.cli import main
from generator.build import build
from generator.render import print as edition
from projects import copy_project


def _squash(text: str) -> str:
    """Text without any whitespace: a title may wrap anywhere in print."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory) -> Path:
    """The shipped project with its printed edition switched on, as shipped (the shared copy leaves it out)."""
    return copy_project(tmp_path_factory.mktemp("edition-project"), edition=True)


@pytest.fixture(scope="module")
def catalog(sample_copy):
    return model.build(validate(sample_copy))


@pytest.fixture(scope="module")
def printed(sample_copy, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition")
    assert main(["print", "--root", str(sample_copy), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def reader(printed) -> pypdf.PdfReader:
    return pypdf.PdfReader(printed / "directory.pdf")


@pytest.fixture(scope="module")
def pages(reader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_edition_holds_every_organization_and_every_entry(catalog, pages):
    text = _squash("".join(pages))
    missing = [o.name for o in catalog.organizations if _squash(o.name) not in text]
    missing += [e.title for e in catalog.entries if _squash(e.title) not in text]
    assert not missing
    assert _squash(catalog.programme.site.subtitle) in _squash(pages[0])  # the cover
    assert "二、发展目标" in pages[1]  # the policy excerpt named in programme.yml


def test_contents_page_numbers_point_at_the_chapters(catalog, reader, pages):
    toc = next(i for i, text in enumerate(pages) if text.lstrip().startswith("目录"))
    lines = re.findall(r"^(\S.*?)[.\s]{3,}(\d+)\s*$", "\n".join(pages[toc:toc + 3]), re.M)
    listed = {_squash(title): int(number) for title, number in lines}
    fields = [t.name for t in catalog.taxonomy.vocabularies["fields"] if any(
        e.fields and e.fields[0].id == t.id for e in catalog.entries)]
    assert {"组织简介", *fields, "组织索引", "主题索引"} <= set(listed)
    for org in catalog.organizations:  # the profiles are listed one by one
        assert _squash(org.name) in listed
    for title, number in listed.items():
        assert title in _squash(pages[number - 1]), f"目录中“{title}”标注第 {number} 页,但该页没有它"
    # and the PDF's bookmarks agree with the printed numbers
    marks = {_squash(m.title): reader.get_destination_page_number(m) + 1 for m in reader.outline if not isinstance(m, list)}
    for title in ("组织简介", *fields, "组织索引"):
        assert marks[_squash(title)] == listed[_squash(title)]


def test_pages_carry_numbers_and_running_heads(pages, catalog):
    assert len(pages) > 20
    for number, text in enumerate(pages[1:], start=2):
        assert re.search(rf"(^|\n)\s*{number}\s*($|\n)", text), f"第 {number} 页没有页码"
        assert catalog.programme.site.title in text  # the running head on every page but the cover


def test_index_lists_every_organization_with_its_page(catalog, pages):
    start = max(i for i, text in enumerate(pages) if text.lstrip().startswith("组织索引"))
    index = "\n".join(pages[start:])
    for org in catalog.organizations:
        found = re.search(rf"{re.escape(org.name)}[.\s]*(\d+)", index)
        assert found, org.name
        assert _squash(org.name) in _squash(pages[int(found.group(1)) - 1])


def test_fonts_are_embedded_and_metadata_dates_are_the_catalogs(reader, catalog):
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]))
    assert any("Noto-Sans-CJK-SC" in f for f in fonts)
    day = max(e.updated for e in catalog.entries).strftime("%Y%m%d")  # the newest entry the edition holds
    assert reader.metadata["/CreationDate"].startswith(f"D:{day}")
    assert reader.metadata["/ModDate"].startswith(f"D:{day}")


def test_every_organization_has_its_brochure(catalog, printed):
    for org in catalog.organizations:
        brochure = pypdf.PdfReader(printed / "organizations" / f"{org.id}.pdf")
        text = _squash("".join(p.extract_text() or "" for p in brochure.pages))
        assert _squash(org.name) in text
        assert all(_squash(e.title) in text for e in catalog.entries_of(org.id))
        others = [e.title for e in catalog.entries if e.org != org.id and _squash(e.title) not in
                  {_squash(x.title) for x in catalog.entries_of(org.id)}]
        assert not any(_squash(t) in text for t in others[:20])


def test_same_input_same_bytes(catalog, sample_copy, printed):
    org = catalog.organizations[0]
    vol = edition.brochure(catalog, sample_copy, org)
    again = edition.pdf(edition.html(catalog, vol))
    assert again == (printed / "organizations" / f"{org.id}.pdf").read_bytes()
    # a brochure is dated by its own entries: another organization's edit leaves its bytes alone
    assert vol.day == max(e.updated for e in catalog.entries_of(org.id))


def test_typesetting_never_fetches_anything():
    for url in ("http://127.0.0.1:9/x.png", "https://example.org/x.css", "file:///etc/passwd"):
        with pytest.raises(BaseException) as caught:
            edition.pdf(f'<html><body><p>测试</p><img src="{url}"></body></html>')
        assert "Error fetching" in str(caught.value) or "disallowed" in str(caught.value)


def test_order_by_organization_and_split_by_field(catalog, sample_copy):
    by_org = dataclasses.replace(catalog, programme=dataclasses.replace(
        catalog.programme, print=dataclasses.replace(catalog.programme.print, order="organization")))
    whole = edition.volumes(by_org, sample_copy, per_organization=False)
    assert [c.title for c in whole[0].chapters] == [o.name for o in sorted(catalog.organizations, key=lambda o: o.id)]
    small = dataclasses.replace(catalog, programme=dataclasses.replace(
        catalog.programme, print=dataclasses.replace(catalog.programme.print, split_above=10)))
    split = edition.volumes(small, sample_copy, per_organization=False)
    assert all(v.path.startswith("print/fields/") for v in split)
    assert sum(v.entry_count for v in split) == len(catalog.entries)  # each entry in exactly one volume
    firsts = {e.fields[0].id for e in catalog.entries if e.fields}
    assert {v.path for v in split} >= {edition.field_pdf(f) for f in firsts}


def test_missing_org_and_catalog_errors_are_reported_in_chinese(sample_copy, capsys, tmp_path):
    assert main(["print", "--root", str(sample_copy), "--out", str(tmp_path), "--org", "no-such-org"]) == 1
    err = capsys.readouterr().err
    assert "没有编号为 no-such-org 的组织" in err and "Traceback" not in err
    assert not any(tmp_path.iterdir())


def test_three_pages_render_to_png(printed, tmp_path):
    """Cover, a contents page and a chapter page as images, typeset and not blank."""
    if not shutil.which("pdftoppm"):
        pytest.skip("poppler-utils (pdftoppm) is not installed: make test installs it")
    for page in (1, 3, 6):
        subprocess.run(["pdftoppm", "-r", "40", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                        str(printed / "directory.pdf"), str(tmp_path / f"page-{page}")], check=True)
        image = Image.open(tmp_path / f"page-{page}.png").convert("L")
        assert image.size[1] > image.size[0]  # A4 portrait
        colours = image.getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 20  # typeset, not blank


@pytest.mark.slow
def test_build_publishes_the_same_edition(sample_copy, printed):
    """`juli build` publishes what `juli print` wrote (typeset once: the build finds it in the store)."""
    site = build(sample_copy).site / "print"
    assert (site / "directory.pdf").read_bytes() == (printed / "directory.pdf").read_bytes()
    assert sorted(p.name for p in (site / "organizations").iterdir()) == sorted(
        p.name for p in (printed / "organizations").iterdir())
