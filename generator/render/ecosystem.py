"""The service ecosystem map (服务生态图谱): organizations placed by field and type, the coverage
matrices (fields × parks, fields × capabilities) that show the gaps, and a printable poster.

The page works without JavaScript; a few lines of script add a park/capability filter. The poster is
the same landscape and the fields × parks matrix drawn as one SVG (and a PNG when a CJK font is
installed) for reports.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from ..model import metrics, urls
from ..model.freshness import as_of
from ..model import Catalog
from . import Context, Output, charts
from .frontmatter import page
from .profiles import linker
from .templating import render as render_template

PAGE = "map/"
POSTER = "map/poster"
DIRECTORY = "directory/"
POSTER_TILES = 12  # tiles per field and type on the poster; the rest are counted ("另有 N 家")
CELL_NAMES = 20  # organization names in a matrix cell's tooltip; the rest are counted


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    poster = _poster(c)
    yield Output(f"{POSTER}.svg", poster.document().encode("utf-8"), tree="site")
    png = poster.png(scale=1.5)
    if png is not None:
        yield Output(f"{POSTER}.png", png, tree="site")
    w = c.programme.wording
    yield page(PAGE, "服务生态图谱", f"{w.region}科技型社会组织按产业领域和组织类型分布，以及领域与{w.park}、核心服务能力的覆盖矩阵。",
               _page(c, has_png=png is not None))


def directory_query(matrix: metrics.Matrix, row, col) -> str:
    """The directory filtered to a matrix cell's services (the directory reads `?facet=term-id`)."""
    return f"{DIRECTORY}?kind=service&{matrix.row_key}={row.id}&{matrix.col_key}={col.id}"


def _names(c: Catalog, orgs: tuple[str, ...]) -> str:
    names = "、".join(c.organization(o).short_name for o in orgs[:CELL_NAMES])
    return names + (f" 等 {len(orgs)} 家" if len(orgs) > CELL_NAMES else "")


def _matrix_view(c: Catalog, matrix: metrics.Matrix) -> dict:
    top = max((len(cell.organizations) for cell in matrix.cells.values()), default=0) or 1
    org_counts = Counter(f for o in c.organizations for f in dict.fromkeys(t.id for t in o.fields))
    service_counts = Counter(f for s in c.services for f in dict.fromkeys(t.id for t in s.fields))
    rows = []
    for r in matrix.rows:
        cells = []
        for col in matrix.cols:
            cell = matrix.cell(r, col)
            level = len(cell.organizations) / top
            fill = charts.shade(level) if cell.organizations else ""
            cells.append(dict(
                col=col, orgs=len(cell.organizations), services=len(cell.services),
                href=directory_query(matrix, r, col) if cell.services else "",
                shade=fill, ink=charts.ink_on(fill) if fill else "",
                names=_names(c, cell.organizations),
            ))
        rows.append(dict(term=r, cells=cells, orgs=org_counts[r.id], services=service_counts[r.id]))
    empty_cols = [col for col in matrix.cols if not any(matrix.cell(r, col).services for r in matrix.rows)]
    return dict(matrix=matrix, rows=rows, empty_cols=empty_cols,
                gaps=sum(1 for cell in matrix.cells.values() if not cell.services))


def _page(c: Catalog, has_png: bool) -> str:
    link = linker(PAGE)
    areas = metrics.landscape(c)
    tiles = {o.id: dict(parks=" ".join(p.id for p in metrics.parks_of(c, o)),
                        capabilities=" ".join(t.id for t in metrics.capabilities_of(c, o.id))) for o in c.organizations}
    return render_template(
        "ecosystem/map.html", link=link, wording=c.programme.wording, areas=areas, tiles=tiles, types=c.taxonomy.terms("organization_types"),
        parks=c.taxonomy.terms("parks"), capabilities=c.taxonomy.terms("capabilities"),
        total=len(c.organizations), services=len(c.services),
        placements=sum(len(o.fields) for o in c.organizations),
        empty_fields=[f for f, groups in areas if not groups],
        matrices=[_matrix_view(c, metrics.field_park_matrix(c)), _matrix_view(c, metrics.field_capability_matrix(c))],
        poster=POSTER, has_png=has_png, as_of=as_of(c),
    )


# ---------------------------------------------------------------------------------------------
# The poster


def _poster_tiles(c: Catalog, orgs: list) -> list:
    """All of a field's organizations of one type, or for a very large catalog the `POSTER_TILES` it
    shows first — key organizations, then those listing the most — in their usual order, so the poster
    stays printable (and its drawing cost bounded) at any size."""
    if len(orgs) <= POSTER_TILES:
        return orgs
    ranked = sorted(orgs, key=lambda o: (not o.key, -len(c.entries_of(o.id)), o.id))[:POSTER_TILES]
    kept = {o.id for o in ranked}
    return [o for o in orgs if o.id in kept]


def _poster(c: Catalog) -> charts.Chart:
    W, margin, gap, columns = 1400, 40, 20, 4
    col_w = (W - 2 * margin - gap * (columns - 1)) / columns
    tile_w, tile_h, tile_gap = (col_w - 24 - 8) / 2, 34, 6
    scene = charts.Scene(W)
    site = c.programme.site
    w = c.programme.wording
    scene.text(margin, 62, w.map_title, size=32, weight="bold")
    scene.text(margin, 94, f"{len(c.organizations)} 家组织 · {len(c.services)} 项服务产品 · {len(c.resources)} 项资源 · "
               f"数据截至 {as_of(c).isoformat()} · {site.title}", size=16, fill=charts.MUTED)
    types = c.taxonomy.terms("organization_types")
    x = margin
    for i, t in enumerate(types):
        scene.rect(x, 114, 36, 20, fill="#ffffff", stroke=charts.PALETTE[i], stroke_width=2.5, dash=charts.DASHES[i], rx=3)
        scene.text(x + 44, 130, t.name, size=15)
        x += 44 + charts.text_width(t.name, 15) + 30
    scene.text(x, 130, "★ 重点科技型社会组织", size=15)
    style = {t.id: i for i, t in enumerate(types)}

    y = 156
    areas = metrics.landscape(c)
    for start in range(0, len(areas), columns):
        row = areas[start:start + columns]
        heights = []
        for k, (f, groups) in enumerate(row):
            ax = margin + k * (col_w + gap)
            ay = y
            scene.text(ax + 12, ay + 26, f.name, size=17, weight="bold")
            count = sum(len(orgs) for _, orgs in groups)
            scene.text(ax + col_w - 12, ay + 26, f"{count} 家", size=14, anchor="end", fill=charts.MUTED)
            ay += 38
            if not groups:
                scene.text(ax + 12, ay + 16, "暂无组织（缺口）", size=14, fill=charts.MUTED)
                ay += 28
            for t, orgs in groups:
                scene.text(ax + 12, ay + 14, t.name, size=12.5, fill=charts.MUTED)
                ay += 20
                shown = _poster_tiles(c, orgs)
                for n, o in enumerate(shown):
                    tx = ax + 12 + (n % 2) * (tile_w + 8)
                    ty = ay + (n // 2) * (tile_h + tile_gap)
                    href = urls.absolute(site.base_url, urls.page(o))
                    scene.rect(tx, ty, tile_w, tile_h, fill="#ffffff", stroke=charts.PALETTE[style[t.id]], stroke_width=2,
                               dash=charts.DASHES[style[t.id]], rx=4, href=href)
                    name = ("★" if o.key else "") + o.short_name
                    size = min(14.0, (tile_w - 12) / max(1.0, charts.text_width(name, 1)))
                    scene.text(tx + tile_w / 2, ty + tile_h / 2 + size * 0.36, name, size=round(size, 1), anchor="middle", href=href)
                ay += math.ceil(len(shown) / 2) * (tile_h + tile_gap) + 4
                if len(shown) < len(orgs):
                    scene.text(ax + 12, ay + 12, f"另有 {len(orgs) - len(shown)} 家，见服务生态图谱网页", size=12.5,
                               fill=charts.MUTED, href=urls.absolute(site.base_url, PAGE))
                    ay += 22
            heights.append(ay - y + 8)
        height = max(heights)
        for k in range(len(row)):
            scene.rect(margin + k * (col_w + gap), y, col_w, height, stroke=charts.GRID, stroke_width=1.5, rx=6)
        y += height + gap

    y += 10
    fp, fc = metrics.field_park_matrix(c), metrics.field_capability_matrix(c)
    for m, ox in ((fp, margin), (fc, margin + 800)):
        scene.text(ox, y + 20, m.title, size=18, weight="bold")
        charts.matrix("poster-matrix", m.title, "", [r.name for r in m.rows], [col.name for col in m.cols],
                      [[(len(m.cell(r, col).organizations), len(m.cell(r, col).services)) for col in m.cols] for r in m.rows],
                      legend="单元格：组织数/服务产品数", origin=(ox, y + 30), scene=scene)
    y = scene.height + 24
    scene.text(margin, y, f"来源：{urls.absolute(site.base_url, PAGE)}  · 由目录数据自动生成，组织按其声明的每个产业领域各出现一次。",
               size=13, fill=charts.MUTED)
    scene.height = y + 24
    desc = (f"{len(c.organizations)} 家组织按产业领域和组织类型分布，"
            f"及领域与{w.park}、核心服务能力的覆盖矩阵（组织数/服务产品数）。")
    return charts.Chart("poster", w.map_title, desc, scene)
