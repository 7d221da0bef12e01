"""Contributed images (organization logos, case photos) are untrusted files: checked here before they
are accepted, and re-encoded before they are published.

- Only PNG, JPEG and WebP, recognised by their bytes, not their names (an SVG can carry scripts that
  would run on the site's origin; it is refused whatever it is called).
- Bounded bytes and pixels, checked from the header before any pixel is decoded (decompression bombs).
- Published copies are decoded and encoded afresh: EXIF (GPS position, camera), XMP, ICC and text
  chunks are dropped, orientation is applied, and the size is reduced to what the site displays.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from PIL import Image, ImageOps

Role = Literal["logo", "case"]

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 12_000
SIZES: dict[str, int] = {"logo": 256, "case": 1600}  # longest side as published (logo shown at 72 px, 3x)
MIN_SIDES: dict[str, int] = {"logo": 64, "case": 320}
EXTENSIONS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "WEBP": (".webp",)}
FORMAT_NAMES = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}
GPS_IFD = 0x8825

_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"BM", "BMP"), (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"), (b"%PDF", "PDF"),
)


@dataclass(frozen=True)
class Finding:
    """A problem code of generator/load/problems.py and its message."""

    code: str
    message: str


class ImageRefused(Exception):
    def __init__(self, findings: list[Finding]):
        super().__init__("; ".join(f"{f.code} {f.message}" for f in findings))
        self.findings = findings


def sniff(head: bytes) -> str:
    """The real format of a file from its first bytes: PNG, JPEG, WEBP, SVG, GIF, … or "" if unknown."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif"):
        return "HEIC/AVIF"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in head.lower():
        return "SVG"
    if text.startswith((b"<html", b"<!doctype html", b"<script")):
        return "HTML"
    return ""


def inspect(path: Path, role: Role) -> list[Finding]:
    """Everything wrong with the image at `path`; errors first. Decodes it fully, within the limits."""
    try:
        img = _open_checked(path)
    except ImageRefused as refused:
        return refused.findings
    found = []
    with img:
        small = MIN_SIDES[role]
        if min(img.size) < small:
            what = "标志" if role == "logo" else "案例图片"
            found.append(Finding("JL326", f"图片只有 {img.width}×{img.height} 像素，{what}的短边建议不少于 {small} 像素。"))
        if _has_gps(img):
            found.append(Finding("JL327", "图片的 EXIF 信息中含有拍摄地点（GPS 坐标）。"))
    return found


def encode(path: Path, role: Role) -> bytes:
    """The published copy: PNG for logos, the source's own format for case images; no metadata."""
    img = _open_checked(path)
    with img:
        target = "PNG" if role == "logo" else img.format
        out = ImageOps.exif_transpose(img)
        out.thumbnail((SIZES[role], SIZES[role]), Image.Resampling.LANCZOS)
        if target == "JPEG":
            out = _flatten(out)
        elif out.mode not in ("RGB", "RGBA", "L", "LA"):
            out = out.convert("RGBA" if _has_alpha(out) else "RGB")
        out.info = {}
        buffer = io.BytesIO()
        options = {"JPEG": {"quality": 85, "optimize": True, "progressive": True},
                   "PNG": {"optimize": True}, "WEBP": {"quality": 82, "method": 4}}[target]
        out.save(buffer, target, **options)
        return buffer.getvalue()


def _open_checked(path: Path) -> Image.Image:
    """Open an image that passed every check, fully decoded; else raise ImageRefused."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImageRefused([Finding("JL323", f"图片有 {size / 1024 / 1024:.1f} MB，上限是 {MAX_BYTES // 1024 // 1024} MB。")])
    with path.open("rb") as fh:
        head = fh.read(512)
    real = sniff(head)
    if real not in EXTENSIONS:
        if real == "SVG":
            detail = "这是 SVG 矢量图：SVG 可以包含脚本，网站不接受"
        elif real:
            detail = f"这是 {real} 文件，不是 PNG、JPEG 或 WebP 图片"
        else:
            detail = "无法识别这个文件的格式，它不是 PNG、JPEG 或 WebP 图片"
        raise ImageRefused([Finding("JL321", f"{detail}。")])
    suffix = path.suffix.lower()
    if suffix not in EXTENSIONS[real]:
        raise ImageRefused([Finding("JL322", f"文件扩展名是 `{suffix}`，内容却是 {FORMAT_NAMES[real]} 图片。")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(path, formats=[real])
            width, height = img.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                img.close()
                raise ImageRefused([Finding("JL324", f"图片有 {width}×{height} 像素，超过上限"
                                                     f"（{MAX_PIXELS // 1_000_000} 百万像素，单边 {MAX_SIDE} 像素）。")])
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRefused([Finding("JL324", "图片声明的像素数量异常巨大（解压炸弹），拒绝打开。")]) from None
    except ImageRefused:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageRefused([Finding("JL325", f"图片文件已损坏或不完整，无法读取（{type(exc).__name__}）。")]) from None
    return img


def _has_gps(img: Image.Image) -> bool:
    try:
        return bool(img.getexif().get_ifd(GPS_IFD))
    except Exception:  # a malformed EXIF block is dropped on re-encoding anyway
        return False


def _has_alpha(img: Image.Image) -> bool:
    return img.mode in ("RGBA", "LA", "PA") or "transparency" in img.info


def _flatten(img: Image.Image) -> Image.Image:
    """JPEG has no transparency: composite on white."""
    if _has_alpha(img):
        rgba = img.convert("RGBA")
        canvas = Image.new("RGB", rgba.size, (255, 255, 255))
        canvas.paste(rgba, mask=rgba.getchannel("A"))
        return canvas
    return img.convert("RGB")
