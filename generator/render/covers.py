"""Share covers (900×383 and 500×500 JPEG) and QR codes, drawn with Pillow.

A cover carries the programme's colour band and site title, the kind of item, the title (wrapped
CJK-aware and shrunk until it fits, never cut inside a character) and the organization's name and logo.
The font is found by `load/fonts.py`; a character it lacks is never drawn as tofu (`fonts.drawable`).
Covers are cached by content, so an unchanged item is never drawn twice.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import segno
from PIL import Image, ImageDraw, ImageFont, ImageOps

from ..load.fonts import FontFile, drawable
from ..model import ShareSettings
from ..pool import counters

WIDE = (900, 383)
SQUARE = (500, 500)
WIDE_LIMIT = 1024 * 1024
SQUARE_LIMIT = 64 * 1024

stats: Counter = Counter()  # "drawn": lets tests and the benchmark see the cache at work
counters.append(stats)  # covers drawn in parallel workers count here too
# ---------------------------------------------------------------------------------------------
# Line breaking: between words. Latin words and numbers stay whole; the phrases a cover must keep
# together (taxonomy terms, organization short names: `keep`) stay whole; other Chinese text breaks
# between the words of a dictionary segmenter (rjieba, jieba's dictionary in Rust: 通过/巡检/项目/验收, not
# 巡/检). Closing punctuation stays with what precedes it, opening with what follows.

_TOKEN = re.compile(r"[A-Za-z0-9\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F\-_.'’/&+:]*|\s+|.", re.S)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CLOSING = set("，；：？！）％,。、;:?!)》」』】〕〉”’,.;:?!)]}…%·~-")
_OPENING = set("（(《「『【〔〈“‘([{")


@lru_cache(maxsize=64)
def _kept(keep: tuple[str, ...]) -> re.Pattern | None:
    phrases = sorted({k for k in keep if k}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, phrases))) if phrases else None


def _words(text: str) -> list[str]:
    import rjieba  # imported when a cover is drawn: its dictionary takes a third of a second to load

    words: list[str] = []
    pos = 0
    for run in _HAN.finditer(text):
        words += _TOKEN.findall(text[pos:run.start()])
        words += rjieba.cut(run.group())
        pos = run.end()
    return words + _TOKEN.findall(text[pos:])


def _tokens(text: str, keep: tuple[str, ...] = ()) -> list[str]:
    pattern = _kept(keep)
    words: list[str] = []
    pos = 0
    for found in pattern.finditer(text) if pattern else ():
        words += _words(text[pos:found.start()])
        words.append(found.group())
        pos = found.end()
    words += _words(text[pos:])
    tokens: list[str] = []
    for token in words:
        if tokens and token[0] in _CLOSING and not tokens[-1].isspace():
            tokens[-1] += token
        elif tokens and tokens[-1] and tokens[-1][-1] in _OPENING and not token.isspace():
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, keep: tuple[str, ...] = ()) -> list[str]:
    lines: list[str] = []
    line = ""
    for token in _tokens(text, keep):
        if token.isspace():
            if line and font.getlength(line + " ") <= width:
                line += " "
            elif line:
                lines.append(line.rstrip())
                line = ""
            continue
        if font.getlength(line + token) <= width:
            line += token
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = ""
        for ch in token:  # a word wider than the line: split it, one whole character at a time
            if line and font.getlength(line + ch) > width:
                lines.append(line)
                line = ""
            line += ch
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _without_widow(text: str, font: ImageFont.FreeTypeFont, width: float, lines: list[str],
                   keep: tuple[str, ...] = ()) -> list[str]:
    """A last line of one or two characters looks cut off: narrow the lines until it gets company."""
    if len(lines) < 2 or len(lines[-1].replace(" ", "")) > 2:
        return lines
    for factor in (0.95, 0.9, 0.85, 0.8, 0.75, 0.7):
        trial = wrap(text, font, width * factor, keep)
        if len(trial) == len(lines) and len(trial[-1].replace(" ", "")) > 2:
            return trial
    return lines


@dataclass(frozen=True)
class Fitted:
    font: ImageFont.FreeTypeFont
    lines: tuple[str, ...]
    line_height: int


@lru_cache(maxsize=4096)
def fit(text: str, font: FontFile, width: int, height: int, largest: int, smallest: int,
        spacing: float = 1.32, max_lines: int = 99, keep: tuple[str, ...] = ()) -> Fitted:
    """The largest size at which `text` wraps into the box; at the smallest size, whatever does not
    fit is replaced by … after the last whole character that does. Cached: every cover repeats the
    site title and each organization's name."""
    for size in range(largest, smallest - 1, -2):
        face = font.at(size)
        line_height = round(size * spacing)
        lines = wrap(text, face, width, keep)
        if len(lines) * line_height <= height and len(lines) <= max_lines:
            return Fitted(face, tuple(_without_widow(text, face, width, lines, keep)), line_height)
    face = font.at(smallest)
    line_height = round(smallest * spacing)
    room = max(1, min(max_lines, height // line_height))
    lines = wrap(text, face, width, keep)[:room]
    last = lines[-1]
    while last and face.getlength(last + "…") > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + "…"
    return Fitted(face, tuple(lines), line_height)


# ---------------------------------------------------------------------------------------------
# Drawing


@dataclass(frozen=True)
class CoverSpec:
    """Everything a cover shows: what the store keys a cover by (with the font; the logo by its bytes)."""

    title: str
    org_name: str
    org_short: str
    kind_label: str
    site_title: str
    logo: Path | None
    band: str
    accent: str
    ink: str
    paper: str
    keep: tuple[str, ...] = ()  # phrases of the title never broken across lines

    @classmethod
    def of(cls, title: str, org_name: str, org_short: str, kind_label: str, site_title: str,
           logo: Path | None, share: ShareSettings, phrases: Iterable[str] = ()) -> "CoverSpec":
        """`phrases`: the taxonomy's terms and organizations' short names; those in the title are kept whole."""
        keep = tuple(sorted({p for p in (*phrases, org_short) if p and p in title}))
        return cls(title, org_name, org_short, kind_label, site_title, logo if logo is not None and logo.is_file() else None,
                   share.band, share.accent, share.ink, share.paper, keep)


def _hex(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _logo(path: Path | None, box: int) -> Image.Image | None:
    if not path:
        return None
    with Image.open(path) as img:
        img = ImageOps.exif_transpose(img).convert("RGBA")
        return ImageOps.contain(img, (box, box), Image.Resampling.LANCZOS)


def _badge(canvas: Image.Image, spec: CoverSpec, font: FontFile, x: int, y: int, box: int) -> None:
    """The organization's logo on a white tile, or its first character in a circle when it has none."""
    draw = ImageDraw.Draw(canvas)
    logo = _logo(spec.logo, box - 8)
    if logo is not None:
        draw.rounded_rectangle((x, y, x + box, y + box), radius=box // 6, fill="white", outline=_hex(spec.band), width=2)
        canvas.paste(logo, (x + (box - logo.width) // 2, y + (box - logo.height) // 2), logo)
        return
    draw.ellipse((x, y, x + box, y + box), fill=_hex(spec.band))
    initial = drawable(font, spec.org_short or spec.org_name)[:1] or "·"
    face = font.at(int(box * 0.5))
    draw.text((x + box / 2, y + box / 2), initial, font=face, fill="white", anchor="mm")


def _one_line(draw: ImageDraw.ImageDraw, text: str, font: FontFile, xy: tuple[int, int], width: int,
              size: int, fill, anchor: str = "lm") -> None:
    """`text` shrunk or cut to one line; nothing when none of it can be drawn (only marks the font lacks)."""
    fitted = fit(text, font, width, round(size * 1.4), size, max(12, size - 8), max_lines=1)
    for line in fitted.lines[:1]:
        draw.text(xy, line, font=fitted.font, fill=fill, anchor=anchor)


def draw(spec: CoverSpec, font: FontFile, size: tuple[int, int], with_title: bool = True) -> Image.Image:
    """One cover. `with_title=False` draws the same cover without its title (tests compare the two)."""
    width, height = size
    square = width == height
    paper, ink, band, accent = _hex(spec.paper), _hex(spec.ink), _hex(spec.band), _hex(spec.accent)
    canvas = Image.new("RGB", size, paper)
    d = ImageDraw.Draw(canvas)
    margin = 36 if square else 44
    band_h = 72 if square else 64
    d.rectangle((0, 0, width, band_h), fill=band)
    d.rectangle((0, height - 8, width, height), fill=band)
    _one_line(d, drawable(font, spec.site_title), font, (margin, band_h // 2), width - 2 * margin, 28 if square else 26, "white")
    # the kind of item, as a label in the accent colour
    kind = drawable(font, spec.kind_label)
    kind_face = font.at(22)
    kind_w = int(kind_face.getlength(kind)) + 28
    top = band_h + 22
    d.rounded_rectangle((margin, top, margin + kind_w, top + 38), radius=8, fill=accent)
    d.text((margin + 14, top + 19), kind, font=kind_face, fill="white", anchor="lm")
    # the organization, at the bottom
    badge = 56 if square else 52
    badge_y = height - 8 - 22 - badge
    _badge(canvas, spec, font, margin, badge_y, badge)
    _one_line(d, drawable(font, spec.org_name), font, (margin + badge + 16, badge_y + badge // 2),
              width - 2 * margin - badge - 16, 24 if square else 24, ink)
    # the title, in the room left between the label and the organization
    title_top = top + 38 + (22 if square else 16)
    box_h = badge_y - 18 - title_top
    if with_title:
        fitted = fit(drawable(font, spec.title), font, width - 2 * margin, box_h,
                     54 if square else 50, 22 if square else 20, keep=spec.keep)
        block = fitted.line_height * len(fitted.lines)
        y = title_top + max(0, (box_h - block) // 2)
        for line in fitted.lines:
            d.text((margin, y + fitted.line_height // 2), line, font=fitted.font, fill=ink, anchor="lm")
            y += fitted.line_height
    return canvas


def title_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    """Where the title goes on a cover of `size` (for tests comparing a cover with its blank)."""
    width, height = size
    square = width == height
    margin = 36 if square else 44
    band_h = 72 if square else 64
    top = band_h + 22 + 38 + (22 if square else 16)
    badge = 56 if square else 52
    return (margin, top, width - margin, height - 8 - 22 - badge - 18)


def encode(image: Image.Image, limit: int) -> bytes:
    """JPEG under `limit` bytes: the best quality that fits."""
    for quality in range(92, 29, -4):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality, optimize=True, subsampling=0 if quality >= 80 else 2)
        if buffer.tell() < limit:
            return buffer.getvalue()
    raise ValueError(f"封面无法压缩到 {limit} 字节以内")


@dataclass(frozen=True)
class Covers:
    wide: bytes
    square: bytes


def covers(spec: CoverSpec, font: FontFile) -> Covers:
    """Both covers of one item (the share kits keep them in the build's store)."""
    stats["drawn"] += 1
    return Covers(encode(draw(spec, font, WIDE), WIDE_LIMIT), encode(draw(spec, font, SQUARE), SQUARE_LIMIT))


def qr_png(url: str) -> bytes:
    """A QR code of `url` (error correction M, quiet zone 4) as PNG."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
