"""Hostile images: refused by `juli validate` at the YAML line that references them, or cleaned when
published (metadata stripped, re-encoded, resized)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from projects import copy_project
from generator.load import images
from generator.checks import validate

ORG = "bj-ai-industry-alliance"
ORG_YML = f"catalog/organizations/{ORG}/organization.yml"
GPS = {1: "N", 2: (39.0, 54.0, 20.0), 3: "E", 4: (116.0, 23.0, 30.0)}
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script><rect width="10" height="10"/></svg>\n'


def png_bomb(width: int, height: int) -> bytes:
    """A valid greyscale PNG whose pixels are all zero: tiny on disk, `width × height` bytes when decoded."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = zlib.compress(b"\x00" * ((width + 1) * height), 9)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def png_claiming(width: int, height: int) -> bytes:
    """Only a header claiming a huge size, as an attacker would send."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def photo(fmt: str, size=(3000, 2000), gps: bool = False) -> bytes:
    img = Image.new("RGB", size, (200, 60, 40))
    exif = Image.Exif()
    exif[0x010F] = "ExampleCam"
    if gps:
        exif[0x8825] = GPS
    buffer = io.BytesIO()
    img.save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path / "p")


def logo_problems(project: Path, data: bytes, name: str = "logo.png") -> list:
    (project / f"catalog/organizations/{ORG}" / name).write_bytes(data)
    return [p for p in validate(project).problems if p.file == ORG_YML and p.path == "logo"]


def line_of_logo(project: Path) -> int:
    lines = (project / ORG_YML).read_text("utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.startswith("logo:"))


@pytest.mark.parametrize("data,code", [
    (png_bomb(7000, 7000), "JL324"),          # 49 megapixels of zeros in a small file
    (png_claiming(60000, 60000), "JL324"),    # Pillow's own decompression-bomb error
    (png_claiming(13000, 10), "JL324"),       # one side too long
    (SVG, "JL321"),                           # SVG with a script, named .png
    (photo("JPEG", (400, 400)), "JL322"),     # JPEG content with a .png name
    (b"GIF89a" + b"\x00" * 64, "JL321"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "JL325"),  # truncated
    (b"\xff" * (images.MAX_BYTES + 1), "JL323"),
], ids=["bomb", "huge-header", "long-side", "svg-script", "wrong-extension", "gif", "broken", "too-many-bytes"])
def test_hostile_logo_is_refused_at_the_yaml_line(project, data, code):
    found = logo_problems(project, data)
    assert [p.code for p in found] == [code]
    assert found[0].level.value == "error"
    assert found[0].line == line_of_logo(project)
    assert "logo.png" in found[0].message


def test_svg_named_svg_is_refused_by_name_and_as_a_stray_file(project):
    (project / f"catalog/organizations/{ORG}/logo.svg").write_bytes(SVG)
    path = project / ORG_YML
    path.write_text(path.read_text("utf-8").replace("logo: logo.png", "logo: logo.svg"), "utf-8")
    problems = validate(project).problems
    [field] = [p for p in problems if p.file == ORG_YML and p.path == "logo"]
    assert field.code == "JL204" and "SVG" in field.message
    assert any(p.code == "JL316" and p.file.endswith("logo.svg") for p in problems)


def test_gps_is_a_warning_and_is_stripped_when_published(tmp_path):
    source = tmp_path / "photo.jpg"
    source.write_bytes(photo("JPEG", gps=True))
    assert Image.open(source).getexif().get_ifd(0x8825)
    assert [f.code for f in images.inspect(source, "case")] == ["JL327"]
    published = images.encode(source, "case")
    img = Image.open(io.BytesIO(published))
    assert img.format == "JPEG"
    assert max(img.size) == images.SIZES["case"]
    assert img.size == (1600, 1067)
    assert len(img.getexif()) == 0
    assert b"Exif" not in published and b"ExampleCam" not in published


@pytest.mark.parametrize("fmt,suffix", [("PNG", ".png"), ("WEBP", ".webp"), ("JPEG", ".jpeg")])
def test_logos_are_published_as_small_png_without_metadata(tmp_path, fmt, suffix):
    source = tmp_path / f"logo{suffix}"
    source.write_bytes(photo(fmt, (1200, 600), gps=True))
    published = images.encode(source, "logo")
    img = Image.open(io.BytesIO(published))
    assert img.format == "PNG"
    assert img.size == (256, 128)
    assert len(img.getexif()) == 0
    assert not {"exif", "icc_profile", "XML:com.adobe.xmp"} & set(img.info)


def test_small_logo_is_a_warning(tmp_path):
    source = tmp_path / "logo.png"
    Image.new("RGBA", (32, 32), (0, 0, 0, 0)).save(source)
    assert [f.code for f in images.inspect(source, "logo")] == ["JL326"]


def test_hostile_case_image_is_refused_in_the_case_file(project):
    case = next(p for p in sorted((project / "cases").glob("*/*.yml")) if "images:" in p.read_text("utf-8"))
    text = case.read_text("utf-8")
    rel = case.relative_to(project).as_posix()
    first = next(line.split("file:")[1].strip() for line in text.splitlines() if "file:" in line)
    (case.parent / first).write_bytes(SVG)
    found = [p for p in validate(project).problems if p.file == rel]
    assert [(p.code, p.path) for p in found] == [("JL321", "images[0].file")]


@pytest.mark.slow
def test_published_images_are_re_encoded(built_site):
    site = built_site.site
    logos = sorted((site / "media/logos").glob("*.png"))
    assert logos
    for org in built_site.catalog.organizations:
        if org.logo is None:
            continue
        published = (site / "media/logos" / f"{org.id}.png").read_bytes()
        img = Image.open(io.BytesIO(published))
        assert img.format == "PNG" and max(img.size) <= images.SIZES["logo"]
        assert published == images.encode(org.logo, "logo")
    for case in built_site.catalog.cases:
        for image in case.images:
            published = site / "media/cases" / case.org / case.id / image.path.name
            assert published.read_bytes() == images.encode(image.path, "case")
