"""Small SVG charts drawn at build time: bars, trend lines, small multiples and a matrix.

Every chart is a `Scene` of a few primitives, so the same drawing can be written as SVG (inline in
a page, or as a standalone file) or painted into a PNG with Pillow for print. Charts are designed on a
330-unit-wide viewBox with text of 12–14 units, so in a phone's 360 px page column they show at
about full size; wider
screens scale them up to `max_width`. Each chart carries `role="img"`, a `<title>` and a `<desc>`;
the pages put a table with the same numbers beside it. Output depends on the input only.
"""

from __future__ import annotations

import math
import subprocess
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from typing import Sequence
from xml.sax.saxutils import escape, quoteattr

from markupsafe import Markup

FONT_FAMILY = "'PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC','Source Han Sans SC',sans-serif"
TEXT = "currentColor"  # inherits the page's text colour inline; dark in standalone files
INK = "#1b1f29"
MUTED = "#5b6170"
GRID = "#c7c9d1"
PALETTE = ("#1f5fa8", "#b4541a", "#2e7d4f", "#7a3e9d")  # each series also differs in dash and marker
DASHES = ("", "6 4", "2 3", "8 3 2 3")
MARKERS = ("circle", "square", "diamond", "circle")


def fmt(value: float | int | None) -> str:
    """Numbers as printed on charts and tables: thousands separators, one decimal for averages."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


def text_width(text: str, size: float) -> float:
    """Rough advance width: CJK and full-width characters take 1 em, others about 0.58 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.58 for ch in text)


# ---------------------------------------------------------------------------------------------
# Scenes


@dataclass
class Scene:
    width: float
    height: float = 0
    items: list = field(default_factory=list)

    def rect(self, x, y, w, h, fill="none", stroke=None, dash="", rx=0, stroke_width=1, href=None):
        self.items.append(("rect", dict(x=x, y=y, w=w, h=h, fill=fill, stroke=stroke, dash=dash, rx=rx, sw=stroke_width), href))

    def text(self, x, y, s, size=13, anchor="start", weight="normal", fill=TEXT, href=None):
        self.items.append(("text", dict(x=x, y=y, s=str(s), size=size, anchor=anchor, weight=weight, fill=fill), href))

    def vtext(self, x, y, s, size=13, fill=TEXT):
        """Vertical label, one character per line from `y` down (how Chinese column heads are set)."""
        for i, ch in enumerate(str(s)):
            self.text(x, y + size * (i + 1), ch, size=size, anchor="middle", fill=fill)

    def line(self, x1, y1, x2, y2, stroke=GRID, width=1, dash=""):
        self.items.append(("line", dict(x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, sw=width, dash=dash), None))

    def polyline(self, points, stroke, width=2, dash=""):
        self.items.append(("polyline", dict(points=tuple(points), stroke=stroke, sw=width, dash=dash), None))

    def marker(self, x, y, shape, r, fill):
        self.items.append(("marker", dict(x=x, y=y, shape=shape, r=r, fill=fill), None))

    # -- SVG ------------------------------------------------------------------------------------

    def svg_body(self) -> str:
        """Consecutive items with the same link share one `<a>` (a tile's box and its name)."""
        out, open_href = [], None
        for kind, a, href in self.items:
            if href != open_href:
                if open_href:
                    out.append("</a>")
                if href:
                    out.append(f"<a href={quoteattr(href)}>")
                open_href = href
            out.append(_svg_item(kind, a))
        if open_href:
            out.append("</a>")
        return "".join(out)

    # -- PNG ------------------------------------------------------------------------------------

    def png(self, scale: float = 2.0, background: str = "#ffffff") -> bytes | None:
        """The scene painted with Pillow in the system's CJK font; None when no such font is installed."""
        from PIL import Image, ImageDraw

        if cjk_font() is None:
            return None
        image = Image.new("RGB", (math.ceil(self.width * scale), math.ceil(self.height * scale)), background)
        draw = ImageDraw.Draw(image)
        s = scale
        for kind, a, _ in self.items:
            if kind == "rect":
                box = [a["x"] * s, a["y"] * s, (a["x"] + a["w"]) * s, (a["y"] + a["h"]) * s]
                fill = None if a["fill"] == "none" else _ink(a["fill"])
                outline = _ink(a["stroke"]) if a["stroke"] and not a["dash"] else None
                draw.rounded_rectangle(box, radius=a["rx"] * s, fill=fill, outline=outline, width=max(1, round(a["sw"] * s)))
                if a["stroke"] and a["dash"]:
                    x0, y0, x1, y1 = box
                    for p, q in (((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))):
                        _dashed(draw, [p, q], _ink(a["stroke"]), a["sw"] * s, a["dash"], s)
            elif kind == "text":
                font = _font(round(a["size"] * s), a["weight"] == "bold")
                anchor = {"start": "ls", "middle": "ms", "end": "rs"}[a["anchor"]]
                draw.text((a["x"] * s, a["y"] * s), a["s"], font=font, fill=_ink(a["fill"]), anchor=anchor)
            elif kind == "line":
                _dashed(draw, [(a["x1"] * s, a["y1"] * s), (a["x2"] * s, a["y2"] * s)], _ink(a["stroke"]), a["sw"] * s, a["dash"], s)
            elif kind == "polyline":
                _dashed(draw, [(x * s, y * s) for x, y in a["points"]], _ink(a["stroke"]), a["sw"] * s, a["dash"], s)
            elif kind == "marker":
                x, y, r = a["x"] * s, a["y"] * s, a["r"] * s
                if a["shape"] == "square":
                    draw.rectangle([x - r, y - r, x + r, y + r], fill=_ink(a["fill"]))
                elif a["shape"] == "diamond":
                    draw.polygon([(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)], fill=_ink(a["fill"]))
                else:
                    draw.ellipse([x - r, y - r, x + r, y + r], fill=_ink(a["fill"]))
        buffer = BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _dash_attr(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _svg_item(kind: str, a: dict) -> str:
    if kind == "rect":
        stroke = f' stroke="{a["stroke"]}" stroke-width="{_num(a["sw"])}"{_dash_attr(a["dash"])}' if a["stroke"] else ""
        rx = f' rx="{_num(a["rx"])}"' if a["rx"] else ""
        return f'<rect x="{_num(a["x"])}" y="{_num(a["y"])}" width="{_num(a["w"])}" height="{_num(a["h"])}"{rx} fill="{a["fill"]}"{stroke}/>'
    if kind == "text":
        weight = ' font-weight="bold"' if a["weight"] == "bold" else ""
        anchor = f' text-anchor="{a["anchor"]}"' if a["anchor"] != "start" else ""
        return (f'<text x="{_num(a["x"])}" y="{_num(a["y"])}" font-size="{_num(a["size"])}"{anchor}{weight} '
                f'fill="{a["fill"]}">{escape(a["s"])}</text>')
    if kind == "line":
        return (f'<line x1="{_num(a["x1"])}" y1="{_num(a["y1"])}" x2="{_num(a["x2"])}" y2="{_num(a["y2"])}" '
                f'stroke="{a["stroke"]}" stroke-width="{_num(a["sw"])}"{_dash_attr(a["dash"])}/>')
    if kind == "polyline":
        points = " ".join(f"{_num(x)},{_num(y)}" for x, y in a["points"])
        return (f'<polyline points="{points}" fill="none" stroke="{a["stroke"]}" stroke-width="{_num(a["sw"])}"'
                f'{_dash_attr(a["dash"])} stroke-linejoin="round"/>')
    x, y, r = a["x"], a["y"], a["r"]
    if a["shape"] == "square":
        return f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{_num(2 * r)}" height="{_num(2 * r)}" fill="{a["fill"]}"/>'
    if a["shape"] == "diamond":
        d = r * 1.3
        return f'<polygon points="{_num(x)},{_num(y - d)} {_num(x + d)},{_num(y)} {_num(x)},{_num(y + d)} {_num(x - d)},{_num(y)}" fill="{a["fill"]}"/>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(r)}" fill="{a["fill"]}"/>'


def _ink(colour: str) -> str:
    return INK if colour == TEXT else colour


def _dashed(draw, points, colour, width, dash, scale):
    width = max(1, round(width))
    if not dash:
        draw.line(points, fill=colour, width=width, joint="curve")
        return
    pattern = [float(v) * scale for v in dash.split()]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        pos, i = 0.0, 0
        while pos < length:
            step = min(pattern[i % len(pattern)], length - pos)
            if i % 2 == 0:
                t0, t1 = pos / length, (pos + step) / length
                draw.line([(x0 + (x1 - x0) * t0, y0 + (y1 - y0) * t0), (x0 + (x1 - x0) * t1, y0 + (y1 - y0) * t1)], fill=colour, width=width)
            pos += step
            i += 1


@cache
def cjk_font() -> tuple[str, int] | None:
    """The system's Simplified Chinese sans-serif font file and face index, found through fontconfig."""
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}|%{index}", "sans-serif:lang=zh-cn"],
                               capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = found.partition("|")
    if not path:
        return None
    from PIL import ImageFont

    try:
        font = ImageFont.truetype(path, 12, index=int(index or 0))
    except OSError:
        return None
    return (path, int(index or 0)) if font.getmask("图").getbbox() else None


@cache
def _font(size: int, bold: bool):
    from PIL import ImageFont

    path, index = cjk_font()
    if bold:
        bold_path = path.replace("Regular", "Bold")
        try:
            return ImageFont.truetype(bold_path, size, index=index)
        except OSError:
            pass
    return ImageFont.truetype(path, size, index=index)


# ---------------------------------------------------------------------------------------------
# Charts


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    desc: str
    scene: Scene
    max_width: int = 560

    def _svg(self, extra: str) -> str:
        s = self.scene
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(s.width)} {_num(s.height)}"{extra} '
                f'role="img" aria-labelledby="{self.id}-title {self.id}-desc" font-family="{FONT_FAMILY}">'
                f'<title id="{self.id}-title">{escape(self.title)}</title><desc id="{self.id}-desc">{escape(self.desc)}</desc>'
                f'{s.svg_body()}</svg>')

    def inline(self) -> Markup:
        """For a page: scales to its container, never wider than `max_width`, on one line so the
        Markdown processor passes it through untouched."""
        return Markup(self._svg(f' id="{self.id}" class="juli-chart" width="100%" style="max-width:{self.max_width}px"'))

    def document(self) -> str:
        """A standalone SVG file (print, reports)."""
        s = self.scene
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + self._svg(
            f' width="{_num(s.width)}" height="{_num(s.height)}" color="{INK}"') + "\n"

    def png(self, scale: float = 2.0) -> bytes | None:
        return self.scene.png(scale)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    target: float | None = None
    note: str = ""


def bars(id: str, title: str, desc: str, rows: Sequence[Bar], width: float = 330, unit: str = "",
         per_row: bool = False) -> Chart:
    """Horizontal bars, one per row: label and value, the bar with an optional target tick, a note line.
    `per_row` scales each bar to its own target (progress towards targets of different sizes)."""
    scene = Scene(width)
    span = width - 2
    shared = max((max(r.value, r.target or 0) for r in rows), default=0) or 1
    y = 4.0
    for i, r in enumerate(rows):
        top = (max(r.value, r.target or 0) or 1) if per_row else shared
        scene.text(0, y + 14, r.label, size=14, weight="bold")
        scene.text(width, y + 14, fmt(r.value) + unit, size=14, anchor="end")
        bar_y = y + 20
        w = span * r.value / top
        scene.rect(0, bar_y, span, 16, fill="none", stroke=GRID)
        if w > 0:
            scene.rect(0, bar_y, w, 16, fill=PALETTE[0])
        if r.target:
            tx = span * r.target / top
            scene.line(tx, bar_y - 3, tx, bar_y + 19, stroke=TEXT, width=2, dash="3 2")
        y = bar_y + 16
        if r.note:
            scene.text(0, y + 16, r.note, size=12.5, fill=MUTED)
            y += 18
        y += 10
    scene.height = y
    return Chart(id, title, desc, scene, max_width=440)


@dataclass(frozen=True)
class Line:
    name: str
    values: dict[int, float]


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def _x_positions(years: Sequence[int], left: float, right: float) -> dict[int, float]:
    if len(years) == 1:
        return {years[0]: (left + right) / 2}
    return {y: left + (right - left) * i / (len(years) - 1) for i, y in enumerate(years)}


def trend(id: str, title: str, desc: str, years: Sequence[int], lines: Sequence[Line], width: float = 330,
          height: float = 210, unit: str = "") -> Chart:
    """Values over the years, up to four lines told apart by dash and marker as well as colour; every
    point is labelled with its value."""
    scene = Scene(width, height)
    legend_y = 14
    x = 0.0
    for i, line in enumerate(lines):
        needed = 27 + text_width(line.name, 13)
        if x and x + needed > width:
            x, legend_y = 0.0, legend_y + 20
        scene.line(x, legend_y - 4, x + 22, legend_y - 4, stroke=PALETTE[i], width=2.5, dash=DASHES[i])
        scene.marker(x + 11, legend_y - 4, MARKERS[i], 3.5, PALETTE[i])
        scene.text(x + 27, legend_y, line.name, size=13)
        x += needed + 14
    height += legend_y - 14
    scene.height = height
    top, bottom, left, right = legend_y + 26, height - 24, 50, width - 24
    ymax = _nice_max(max((v for line in lines for v in line.values.values()), default=0))
    for k in range(5):
        value = ymax * k / 4
        gy = bottom - (bottom - top) * k / 4
        scene.line(left, gy, right + 10, gy, stroke=GRID, width=1)
        scene.text(left - 5, gy + 4, fmt(value if value % 1 else int(value)), size=12, anchor="end", fill=MUTED)
    xs = _x_positions(years, left + 16, right - 6)
    for year, px in xs.items():
        scene.text(px, height - 6, str(year), size=12.5, anchor="middle")
    labels: dict[int, list[tuple[float, int, str]]] = {}
    for i, line in enumerate(lines):
        points = [(xs[y], bottom - (bottom - top) * line.values[y] / ymax) for y in years if y in line.values]
        if len(points) > 1:
            scene.polyline(points, PALETTE[i], width=2.5, dash=DASHES[i])
        for (px, py), y in zip(points, [y for y in years if y in line.values]):
            scene.marker(px, py, MARKERS[i], 3.5, PALETTE[i])
            labels.setdefault(y, []).append((py, i, fmt(line.values[y]) + unit))
    for y, found in labels.items():
        # The topmost point of a year is labelled above it, the others below theirs, each at least a
        # line's height under the previous label: close values never print on top of each other.
        previous = -math.inf
        for rank, (py, i, text) in enumerate(sorted(found)):
            label_y = max(py - 7 if rank == 0 else py + 17, previous + 14)
            previous = label_y
            scene.text(xs[y], label_y, text, size=12.5, anchor="middle", fill=PALETTE[i])
    return Chart(id, title, desc, scene, max_width=560)


def multiples(id: str, title: str, desc: str, years: Sequence[int], panels: Sequence[Line], width: float = 330,
              columns: int = 2) -> Chart:
    """One small trend per series, each on its own scale, so counts of different sizes stay readable."""
    gap, panel_h = 12, 104
    panel_w = (width - gap * (columns - 1)) / columns
    scene = Scene(width, math.ceil(len(panels) / columns) * (panel_h + gap))
    for n, panel in enumerate(panels):
        ox, oy = (n % columns) * (panel_w + gap), (n // columns) * (panel_h + gap)
        scene.rect(ox, oy, panel_w, panel_h, stroke=GRID, rx=4)
        scene.text(ox + 8, oy + 18, panel.name, size=13, weight="bold")
        top, bottom = oy + 44, oy + panel_h - 26
        ymax = max(panel.values.values(), default=0) or 1
        xs = _x_positions(years, ox + 22, ox + panel_w - 22)
        scene.line(ox + 8, bottom, ox + panel_w - 8, bottom, stroke=GRID)
        points = [(xs[y], bottom - (bottom - top) * panel.values[y] / ymax) for y in years if y in panel.values]
        if len(points) > 1:
            scene.polyline(points, PALETTE[0], width=2)
        for (px, py), y in zip(points, [y for y in years if y in panel.values]):
            scene.marker(px, py, "circle", 3, PALETTE[0])
            scene.text(px, py - 7, fmt(panel.values[y]), size=12.5, anchor="middle")
        for y, px in xs.items():
            scene.text(px, oy + panel_h - 8, str(y), size=12, anchor="middle", fill=MUTED)
    return Chart(id, title, desc, scene, max_width=560)


def matrix(id: str, title: str, desc: str, rows: Sequence[str], cols: Sequence[str],
           values: Sequence[Sequence[tuple[int, int]]], legend: str = "", origin: tuple[float, float] = (0, 0),
           scene: Scene | None = None) -> Chart:
    """A grid of (organizations, services) pairs, printed in every cell as `组织/服务`; the shade follows
    the number of organizations and empty cells are marked, so gaps show without relying on colour.
    Pass `scene` and `origin` to draw it into a larger scene (a poster)."""
    size, cell_w, cell_h = 12, 40, 26
    row_w = max((text_width(r, size) for r in rows), default=0) + 10
    head_h = max((len(c) for c in cols), default=0) * size + 10
    ox, oy = origin
    scene = scene or Scene(row_w + cell_w * len(cols) + 2)
    top_org = max((v[0] for row in values for v in row), default=0) or 1
    if legend:
        scene.text(ox, oy + 14, legend, size=12, fill=MUTED)
        oy += 24
    for j, col in enumerate(cols):
        scene.vtext(ox + row_w + cell_w * j + cell_w / 2, oy, col, size=size)
    grid_y = oy + head_h
    for i, row in enumerate(rows):
        y = grid_y + cell_h * i
        scene.text(ox + row_w - 8, y + cell_h / 2 + size * 0.4, row, size=size, anchor="end")
        for j, (orgs, services) in enumerate(values[i]):
            x = ox + row_w + cell_w * j
            fill = shade(orgs / top_org) if orgs else "#ffffff"
            scene.rect(x, y, cell_w, cell_h, fill=fill, stroke=GRID)
            dark = orgs / top_org > 0.55
            label = f"{orgs}/{services}" if orgs or services else "0"
            scene.text(x + cell_w / 2, y + cell_h / 2 + 4, label, size=11, anchor="middle",
                       fill="#ffffff" if dark else (INK if orgs or services else MUTED))
    scene.height = max(scene.height, grid_y + cell_h * len(rows) + 4)
    return Chart(id, title, desc, scene, max_width=900)


def ink_on(color: str) -> str:
    """Black or white, whichever contrasts more with the background `color` (#rrggbb), per WCAG 2.x
    relative luminance: on the shades above, either gives at least 4.5:1."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"


def shade(level: float) -> str:
    """From pale to the palette's blue; the printed numbers carry the meaning."""
    lo, hi = (0xE6, 0xEF, 0xFA), (0x1F, 0x5F, 0xA8)
    r, g, b = (round(a + (b - a) * min(1.0, level)) for a, b in zip(lo, hi))
    return f"#{r:02x}{g:02x}{b:02x}"
