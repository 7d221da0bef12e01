"""The font covers are drawn with, found and checked before anything is drawn: `JULI_FONT`, `share.font`
in catalog/programme.yml or fontconfig's Noto Sans CJK SC. A missing font, or one without Chinese
glyphs, is a `FontError`; which characters it lacks is asked by validation (warning JL120) and by the
covers, which never draw them as tofu (`drawable`). A font is an input like an image, so it is read here,
in the first stage, by both."""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONTCONFIG_QUERY = "Noto Sans CJK SC:style=Bold"

class FontError(Exception):
    """No usable Chinese font: the message says what to install or configure."""


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int
    identity: str  # path, face, size and mtime: part of every cover's cache key

    def at(self, size: int) -> ImageFont.FreeTypeFont:
        return _load(self.path, self.index, size)


@lru_cache(maxsize=256)
def _load(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


def find_font(configured: str = "", root: Path | None = None) -> FontFile:
    """`JULI_FONT`, then `share.font` (relative to the project root), then fontconfig's Noto Sans CJK SC."""
    candidate = os.environ.get("JULI_FONT") or configured
    origin = "环境变量 JULI_FONT" if os.environ.get("JULI_FONT") else "catalog/programme.yml 的 share.font"
    if candidate:
        path = Path(candidate)
        if not path.is_absolute() and root is not None:
            path = root / path
        if not path.is_file():
            raise FontError(f"找不到字体文件 {path}（来自{origin}）。请改正路径，或删除该设置以使用系统的 Noto Sans CJK SC。")
    else:
        path = _fontconfig()
    return _font_file(str(path))


@lru_cache(maxsize=8)
def _font_file(path: str) -> FontFile:
    index = _face_index(path)
    try:
        _load(path, index, 12)
    except OSError:  # Pillow's own reason is English ("unknown file format") and names no file
        raise FontError(f"无法读取字体文件 {path}：它不是 TrueType 或 OpenType 字体。"
                        "请改用 .ttf、.otf 或 .ttc 字体文件，例如安装 fonts-noto-cjk 后的 Noto Sans CJK SC。") from None
    stat = os.stat(path)
    font = FontFile(path, index, f"{path}#{index}:{stat.st_size}:{stat.st_mtime_ns}")
    missing = missing_glyphs(font, "聚力目录服务资源案例")
    if missing:
        raise FontError(f"字体 {path} 不含中文字形（缺少“{missing}”），封面会出现方框。请配置一个中文字体，"
                        "例如安装 fonts-noto-cjk（Debian/Ubuntu：apt-get install fonts-noto-cjk）。")
    return font


def _fontconfig() -> Path:
    if not shutil.which("fc-match"):
        raise FontError("未配置中文字体，且系统没有 fontconfig（fc-match）。请安装 fonts-noto-cjk 与 fontconfig，"
                        "或在 catalog/programme.yml 的 share.font（或环境变量 JULI_FONT）中写明字体文件路径。")
    found = subprocess.run(["fc-match", "-f", "%{file}", FONTCONFIG_QUERY], capture_output=True, text=True, check=False).stdout
    if not found or not Path(found).is_file():
        raise FontError("fontconfig 找不到 Noto Sans CJK SC。请安装 fonts-noto-cjk，或设置 share.font / JULI_FONT。")
    return Path(found)


def _face_index(path: str) -> int:
    """In a font collection (.ttc) pick the Simplified Chinese face, whose glyph shapes fit the text."""
    if not path.lower().endswith((".ttc", ".otc")):
        return 0
    for index in range(32):
        try:
            family, _ = ImageFont.truetype(path, 12, index=index).getname()
        except OSError:
            break
        if family and family.endswith(" SC"):
            return index
    return 0


_TOFU_PROBE = "\U000F0000"  # a private-use character no font maps: it draws the font's .notdef


def missing_glyphs(font: FontFile, text: str) -> str:
    """The characters of `text` the font has no glyph for (drawn as .notdef or as nothing)."""
    return "".join(ch for ch in dict.fromkeys(text) if not _covered(font.path, font.index, ch))


@lru_cache(maxsize=65536)
def _covered(path: str, index: int, ch: str) -> bool:
    if ch.isspace() or unicodedata.category(ch) in ("Cf", "Zs", "Mn"):
        return True
    glyph = _glyph(path, index, ch)
    return glyph is not None and glyph != _glyph(path, index, _TOFU_PROBE)


def _drawn(font: FontFile, ch: str) -> bool:
    glyph = _glyph(font.path, font.index, ch)
    return glyph is None or glyph != _glyph(font.path, font.index, _TOFU_PROBE)


@lru_cache(maxsize=65536)
def _glyph(path: str, index: int, ch: str) -> bytes | None:
    """The character drawn alone at 24 px (None when nothing is drawn)."""
    image = Image.new("L", (48, 48), 0)
    ImageDraw.Draw(image).text((8, 8), ch, font=_load(path, index, 24), fill=255)
    return image.tobytes() if image.getbbox() else None


PLACEHOLDERS = ("〓", "□", "?")  # 〓 (geta mark): typesetting's sign for a character the type case lacks


def drawable(font: FontFile, text: str) -> str:
    """`text` as the cover can draw it: symbols the font lacks (emoji, pictographs) left out, and any
    other missing character (Thai, a rare CJK extension B character) replaced by a placeholder, so a
    title that validation accepted always gets its cover. `juli validate` warns about those (JL120)."""
    marks = {ch for ch in text if unicodedata.category(ch) in ("Mn", "Me") and not _drawn(font, ch)}
    missing = missing_glyphs(font, text) + "".join(marks)  # a combining mark without its glyph draws a box
    if not missing:
        return text
    placeholder = next((p for p in PLACEHOLDERS if not missing_glyphs(font, p)), "")
    kept = "".join(ch if ch not in missing else "" if symbol(ch) or ch in marks else placeholder for ch in text)
    return " ".join(kept.split())


def symbol(ch: str) -> bool:
    """Emoji, pictographs, unassigned and private-use code points: left out of a cover, not replaced."""
    return unicodedata.category(ch) in ("So", "Sk", "Cn", "Co")
