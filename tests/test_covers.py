"""Share covers: sizes, byte limits, the title really drawn and kept inside its box, fonts, the cache."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from generator.load import fonts
from generator.model import ShareSettings
from generator.render import covers

LONG_TITLE = ("面向集成电路、智能网联汽车与生物医药等高精尖产业的中小企业数字化转型诊断评估、"
              "标准贯标辅导与公共技术服务平台开放共享一站式服务(2026 年度第二批)")
ASCII_TITLE = "International Workshop on Open Source Large Language Model Evaluation Benchmarks 2026"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


@pytest.fixture(scope="module")
def font() -> fonts.FontFile:
    return fonts.find_font()


@pytest.fixture(scope="module")
def logo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    image = Image.new("RGBA", (300, 120), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (20, 20, 280, 100))
    image.save(path)
    return path


def spec(title: str, logo: Path | None = None, org: str = "北京人工智能产业创新联盟(示例)") -> covers.CoverSpec:
    return covers.CoverSpec.of(title, org, "京智联盟", "服务产品", "聚力目录", logo, ShareSettings())


def _rgb(image: Image.Image):
    return zip(*[iter(image.convert("RGB").tobytes())] * 3)


CASES = {
    "very-long-title": LONG_TITLE,
    "ascii-only-title": ASCII_TITLE,
    "short-title": "算力券申领辅导",
}


@pytest.mark.parametrize("with_logo", [True, False], ids=["logo", "no-logo"])
@pytest.mark.parametrize("name", list(CASES))
def test_cover_sizes_limits_and_title_drawn_inside_its_box(font, logo, name, with_logo):
    s = spec(CASES[name], logo if with_logo else None)
    made = covers.covers(s, font)
    for data, size, limit in ((made.wide, covers.WIDE, 1024 * 1024), (made.square, covers.SQUARE, 64 * 1024)):
        assert len(data) < limit
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == "JPEG" and image.size == size
        titled = covers.draw(s, font, size)
        blank = covers.draw(s, font, size, with_title=False)
        box = covers.title_box(size)
        diff = ImageChops.difference(titled, blank)
        inside = diff.crop(box)
        changed = inside.convert("L").point(lambda v: 255 if v > 40 else 0).histogram()[255]
        assert changed > 0.03 * (box[2] - box[0]) * (box[3] - box[1]), f"{name}: the title is hardly drawn"
        outside = diff.copy()
        outside.paste((0, 0, 0), box)
        assert outside.getbbox() is None, f"{name}: the title overflows its box at {outside.getbbox()}"


def test_logo_or_monogram_is_drawn(font, logo):
    with_logo = covers.draw(spec("标题", logo), font, covers.WIDE)
    without = covers.draw(spec("标题", None), font, covers.WIDE)
    assert ImageChops.difference(with_logo, without).getbbox() is not None
    # the red logo shows; without a logo the badge is the band colour with the org's first character
    assert any(r > 150 and g < 80 and b < 80 for r, g, b in _rgb(with_logo.crop((40, 300, 110, 370))))
    assert not any(r > 150 and g < 80 and b < 80 for r, g, b in _rgb(without.crop((40, 300, 110, 370))))


def test_long_title_wraps_at_whole_characters_and_shrinks(font):
    fitted = covers.fit(LONG_TITLE, font, 800, 170, 50, 20)
    assert fitted.font.size < 50
    assert "".join(fitted.lines).replace(" ", "") == LONG_TITLE.replace(" ", "")
    assert all(fitted.font.getlength(line) <= 800 for line in fitted.lines)
    assert len(fitted.lines) * fitted.line_height <= 170
    assert not any(line[0] in ",。、)" for line in fitted.lines)  # closing punctuation never starts a line


def test_latin_words_stay_whole(font):
    fitted = covers.fit(ASCII_TITLE, font, 800, 170, 50, 20)
    words = set(ASCII_TITLE.split())
    for line in fitted.lines:
        assert set(line.split()) <= words, line


@pytest.mark.parametrize("width", range(180, 420, 12))
def test_lines_break_between_words_never_inside_terms_names_or_numbers(font, width):
    """The communications team saw 通过巡 / 检项目验收 and 助力无 / 人机: lines now break between words."""
    title = "京芯协会助力无人机企业通过巡检项目验收 2026 年 MPW-28nm 拼单服务 集成电路 人工智能"
    keep = ("京芯协会", "集成电路", "人工智能")
    fitted = covers.fit(title, font, width, 2000, 24, 24, keep=keep)
    assert "".join(fitted.lines).replace(" ", "") == title.replace(" ", "")
    joined = "|".join(fitted.lines)
    for word in ("无人机", "巡检", "验收", "2026", "MPW-28nm", *keep):
        assert word in joined, f"“{word}”被拆到两行:{fitted.lines}"


def test_cover_spec_keeps_the_terms_its_title_holds(logo):
    from generator.model import ShareSettings

    made = covers.CoverSpec.of("集成电路设计企业服务", "北京集成电路产业协会", "京芯协会", "服务产品", "聚力目录", None,
                               ShareSettings(), ["集成电路", "人工智能", "京芯协会"])
    assert made.keep == ("集成电路",)


def test_text_too_long_even_at_the_smallest_size_ends_with_an_ellipsis(font):
    fitted = covers.fit("很长的标题" * 100, font, 400, 100, 40, 20)
    assert fitted.lines[-1].endswith("…")
    assert all(fitted.font.getlength(line) <= 400 for line in fitted.lines)
    assert len(fitted.lines) * fitted.line_height <= 100


def test_emoji_are_left_out_rather_than_drawn_as_boxes(font):
    assert fonts.drawable(font, "🚀算力券 Day") == "算力券 Day"


def test_letters_the_font_lacks_become_a_placeholder_never_an_error(font):
    assert fonts.drawable(font, "泰文ภาษาไทย课程") == "泰文" + "〓" * len("ภาษาไทย") + "课程"
    assert fonts.drawable(font, "𠀀号") == "〓号"  # CJK extension B, beyond Noto Sans CJK


def test_names_of_nothing_drawable_leave_their_line_empty(font):
    """A name that is only a combining mark the font lacks (found by test_build_accepts) draws nothing."""
    assert fonts.drawable(font, "\U00011727") == ""
    blank = spec("标题", org="\U00011727")
    assert covers.draw(blank, font, covers.WIDE).size == covers.WIDE


def test_missing_font_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("JULI_FONT", "/no/such/font.ttf")
    with pytest.raises(fonts.FontError, match="找不到字体文件"):
        fonts.find_font()


def test_a_file_that_is_no_font_is_a_clear_error(monkeypatch, tmp_path):
    fake = tmp_path / "font.ttf"
    fake.write_bytes(b"not a font")
    monkeypatch.setenv("JULI_FONT", str(fake))
    with pytest.raises(fonts.FontError, match="不是 TrueType 或 OpenType 字体"):
        fonts.find_font()


@pytest.mark.skipif(not DEJAVU.is_file(), reason="needs a Latin-only font to test with")
def test_font_without_chinese_glyphs_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("JULI_FONT", str(DEJAVU))
    with pytest.raises(fonts.FontError, match="不含中文字形"):
        fonts.find_font()


def test_configured_font_path_is_used(monkeypatch, font):
    monkeypatch.delenv("JULI_FONT", raising=False)
    assert fonts.find_font(font.path) == font


@pytest.mark.slow
def test_built_covers_and_qr_codes(built_site):
    site = built_site.site
    kits = sorted((site / "share").glob("*/weibo.txt"))
    assert kits
    for kit in (k.parent for k in kits):
        wide, square = (kit / "cover-wide.jpg").read_bytes(), (kit / "cover-square.jpg").read_bytes()
        assert len(wide) < 1024 * 1024 and len(square) < 64 * 1024
        with Image.open(kit / "cover-wide.jpg") as w, Image.open(kit / "cover-square.jpg") as s, Image.open(kit / "qr.png") as q:
            assert (w.size, s.size) == (covers.WIDE, covers.SQUARE)
            assert q.format == "PNG" and q.size[0] == q.size[1] >= 200
