"""Generate the placeholder images shipped with the sample catalog.

Every organization whose organization.yml declares ``logo: <file>`` gets a logo: a rounded square in a
colour derived from the organization id, with Latin initials taken from ``name_en`` (no CJK font is
needed). Every image a case study references (``images: - file: ...``) gets a simple flat
illustration, 800×450. Output is deterministic: colours come from a hash of the id or file name and
the only randomness uses ``random.Random`` seeded the same way, so running the script twice gives the
same pixels (for a given Pillow version).

    python tools/make_sample_images.py            # write missing images
    python tools/make_sample_images.py --force    # rewrite all of them

The PNGs are committed; this script only records how they were made.
"""

from __future__ import annotations

import argparse
import colorsys
import hashlib
import math
import random
import re
import sys
from pathlib import Path

import yaml
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
ORGS = ROOT / "catalog" / "organizations"
CASES = ROOT / "cases"

LOGO_SIZE = 256
CASE_SIZE = (800, 450)
STOP_WORDS = {"and", "of", "the", "for", "example"}


def digest(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


def colour(seed: str, saturation: float = 0.55, value: float = 0.62, shift: float = 0.0) -> tuple[int, int, int]:
    hue = (digest(seed) % 360 / 360 + shift) % 1.0
    r, g, b = colorsys.hsv_to_rgb(hue, saturation, value)
    return int(r * 255), int(g * 255), int(b * 255)


def font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)  # Pillow ≥ 10.1 ships a scalable Latin font
    except TypeError:  # pragma: no cover - very old Pillow
        return ImageFont.load_default()


def initials(name_en: str, fallback: str) -> str:
    """All initials of the English name: one letter per word, whole acronyms (AI, ICV) kept."""
    name = re.sub(r"\(.*?\)", " ", name_en or "")
    words = [w for w in re.split(r"[\s\-&/]+", name) if w and w.lower() not in STOP_WORDS]
    letters = "".join(w if w.isupper() else w[0] for w in words if w[0].isalpha()).upper()
    return letters or "".join(part[0] for part in fallback.split("-")).upper()


def short_initials(all_initials: dict[str, str]) -> dict[str, str]:
    """Three letters each, or as many more as it takes to tell two organizations apart."""
    result = {}
    for org_id, letters in all_initials.items():
        n = 3
        while n < len(letters) and any(
            other != org_id and o[:n] == letters[:n] for other, o in all_initials.items()
        ):
            n += 1
        result[org_id] = letters[:n]
    return result


def save_png(image: Image.Image, path: Path) -> None:
    """Palette PNGs keep the flat illustrations small (well under 60 KB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, format="PNG", optimize=True
    )


# --- logos -----------------------------------------------------------------------------------------


def make_logo(org_id: str, text: str, path: Path) -> None:
    scale = 4  # draw large, then downsample for smooth edges
    size = LOGO_SIZE * scale
    margin = 8 * scale
    box = (margin, margin, size - margin, size - margin)
    radius = 48 * scale
    base = colour(org_id)
    accent = colour(org_id, saturation=0.35, value=0.9, shift=0.08)

    tile = Image.new("RGB", (size, size), base)
    draw = ImageDraw.Draw(tile)
    r = size // 2  # a quarter circle in the lower right corner, clipped by the rounded square below
    draw.ellipse((size - margin - r, size - margin - r, size - margin + r, size - margin + r), fill=accent)
    f = font({3: 92, 4: 72}.get(len(text), 60 if len(text) > 4 else 120) * scale)
    tb = draw.textbbox((0, 0), text, font=f)
    w, h = tb[2] - tb[0], tb[3] - tb[1]
    draw.text(((size - w) / 2 - tb[0], (size - h) / 2 - tb[1] - 6 * scale), text, font=f, fill=(255, 255, 255))

    mask = Image.new("L", (size, size), 0)
    ImageDraw.Draw(mask).rounded_rectangle(box, radius=radius, fill=255)
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    image.paste(tile, (0, 0), mask)
    image = image.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)


# --- case illustrations ----------------------------------------------------------------------------

W, H = CASE_SIZE


def person(draw: ImageDraw.ImageDraw, x: float, y: float, s: float, fill) -> None:
    """A simple pictogram: head and shoulders."""
    draw.ellipse((x - 11 * s, y - 40 * s, x + 11 * s, y - 18 * s), fill=fill)
    draw.rounded_rectangle((x - 20 * s, y - 14 * s, x + 20 * s, y + 30 * s), radius=int(12 * s), fill=fill)


def draw_meeting(draw, rng, seed):
    """Round-table meeting: a table with people around it and a screen."""
    table = colour(seed, 0.25, 0.75)
    draw.rectangle((250, 40, 550, 170), fill=(236, 240, 244), outline=(160, 170, 180), width=3)
    for i in range(5):
        draw.rectangle((280, 70 + i * 18, 280 + rng.randint(120, 240), 78 + i * 18), fill=(190, 198, 206))
    draw.ellipse((180, 250, 620, 400), fill=table)
    for i in range(10):
        a = math.pi * 2 * i / 10
        person(draw, 400 + 260 * math.cos(a), 335 + 95 * math.sin(a), 0.9, colour(seed + str(i % 3), 0.5, 0.55))
    for i in range(6):
        x = 260 + i * 55
        draw.rectangle((x, 310, x + 30, 330), fill=(250, 250, 250))


def draw_wafer(draw, rng, seed):
    """A wafer with dies of several colours (several projects on one shuttle)."""
    cx, cy, r = 400, 225, 190
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(200, 205, 215), outline=(120, 126, 140), width=4)
    projects = [colour(seed + str(i), 0.55, 0.75) for i in range(6)]
    step = 34
    for gx in range(-6, 6):
        for gy in range(-6, 6):
            x0, y0 = cx + gx * step, cy + gy * step
            corners = [(x0, y0), (x0 + step, y0), (x0, y0 + step), (x0 + step, y0 + step)]
            if all((px - cx) ** 2 + (py - cy) ** 2 < (r - 6) ** 2 for px, py in corners):
                draw.rectangle((x0 + 2, y0 + 2, x0 + step - 2, y0 + step - 2), fill=rng.choice(projects))
    draw.polygon([(cx - 14, cy + r - 2), (cx + 14, cy + r - 2), (cx, cy + r - 14)], fill=(120, 126, 140))


def draw_map(draw, rng, seed):
    """An abstract outline of Beijing with sixteen station markers."""
    outline = [(170, 120), (260, 60), (400, 40), (540, 70), (640, 140), (660, 250), (600, 340), (470, 410),
               (330, 400), (210, 350), (140, 260)]
    draw.polygon(outline, fill=(226, 236, 228), outline=(120, 150, 125))
    draw.ellipse((350, 190, 450, 290), outline=(150, 170, 150), width=3)
    draw.ellipse((310, 150, 490, 330), outline=(180, 196, 180), width=2)
    pin = colour(seed, 0.7, 0.8)
    points = []
    for i in range(16):
        a = math.pi * 2 * i / 16 + 0.3
        d = 60 + 160 * (0.4 + 0.6 * ((i * 7) % 16) / 15)
        points.append((400 + d * math.cos(a) * 1.15, 235 + d * math.sin(a) * 0.72))
    for x, y in points:
        draw.line((400, 240, x, y), fill=(190, 205, 190), width=2)
    for x, y in points:
        draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=pin, outline=(255, 255, 255), width=3)
    draw.ellipse((392, 232, 408, 248), fill=(60, 80, 70))


def draw_chamber(draw, rng, seed):
    """An anechoic chamber: walls of absorber cones, a turntable and an antenna."""
    cone = colour(seed, 0.45, 0.55)
    cone2 = colour(seed, 0.45, 0.45)
    for y in range(0, H, 30):
        for x in range(0, W, 30):
            c = cone if (x // 30 + y // 30) % 2 else cone2
            draw.polygon([(x, y + 30), (x + 15, y), (x + 30, y + 30)], fill=c)
    draw.polygon([(0, 330), (W, 330), (W, H), (0, H)], fill=(90, 96, 104))
    draw.ellipse((230, 300, 470, 360), fill=(170, 176, 186), outline=(60, 64, 70), width=3)
    draw.rectangle((300, 220, 400, 320), fill=(235, 235, 235), outline=(60, 64, 70), width=3)
    draw.rectangle((315, 240, 385, 260), fill=(80, 160, 220))
    draw.line((620, 330, 620, 180), fill=(230, 230, 230), width=8)
    draw.polygon([(560, 170), (680, 170), (620, 200)], fill=(240, 240, 240))
    for i in range(3):
        draw.arc((470 + i * 25, 170 + i * 10, 600 - i * 10, 300 - i * 10), 150, 210, fill=(255, 220, 120), width=3)


def draw_showroom(draw, rng, seed):
    """Visitors wearing headsets in front of large screens."""
    for i in range(3):
        x = 60 + i * 240
        draw.rectangle((x, 50, x + 200, 190), fill=colour(seed + str(i), 0.5, 0.7), outline=(40, 40, 60), width=4)
        for k in range(4):
            y = 70 + k * 28
            draw.polygon([(x + 20, y + 20), (x + 60 + k * 20, y), (x + 120 + k * 10, y + 20)], fill=(255, 255, 255))
    draw.rectangle((0, 320, W, H), fill=(70, 72, 96))
    for i in range(6):
        x = 90 + i * 125 + rng.randint(-15, 15)
        c = colour(seed + "p" + str(i), 0.35, 0.85)
        person(draw, x, 330, 1.4, c)
        draw.rounded_rectangle((x - 18, 278, x + 18, 292), radius=5, fill=(30, 30, 40))


def draw_mocap(draw, rng, seed):
    """A motion-capture stage: a figure with markers, surrounded by cameras."""
    draw.rectangle((0, 300, W, H), fill=(60, 64, 80))
    draw.ellipse((220, 320, 580, 420), outline=(120, 200, 255), width=3)
    body = (40, 40, 50)
    draw.ellipse((380, 110, 420, 150), fill=body)
    draw.line((400, 150, 400, 260), fill=body, width=18)
    draw.line((400, 170, 340, 230), fill=body, width=12)
    draw.line((400, 170, 470, 120), fill=body, width=12)
    draw.line((400, 260, 360, 360), fill=body, width=14)
    draw.line((400, 260, 440, 360), fill=body, width=14)
    for x, y in [(400, 130), (340, 230), (470, 120), (360, 360), (440, 360), (400, 200), (400, 260)]:
        draw.ellipse((x - 6, y - 6, x + 6, y + 6), fill=(255, 255, 255))
    cam = colour(seed, 0.6, 0.7)
    for x, y in [(60, 60), (740, 60), (60, 250), (740, 250), (400, 30)]:
        draw.rectangle((x - 22, y - 14, x + 22, y + 14), fill=cam)
        draw.line((x, y, 400, 220), fill=(200, 210, 230), width=1)


def draw_generic(draw, rng, seed):
    """Abstract bars and circles for any image without a dedicated drawing."""
    for i in range(8):
        h = rng.randint(60, 300)
        draw.rectangle((80 + i * 80, 400 - h, 130 + i * 80, 400), fill=colour(seed + str(i), 0.45, 0.7))
    draw.line((60, 400, 740, 400), fill=(80, 80, 80), width=3)


DRAWINGS = {
    "meeting": draw_meeting,
    "review": draw_meeting,
    "matchmaking": draw_meeting,
    "wafer": draw_wafer,
    "map": draw_map,
    "chamber": draw_chamber,
    "showroom": draw_showroom,
    "incubator": draw_mocap,
}


def make_case_image(rel: str, path: Path) -> None:
    seed = rel
    rng = random.Random(digest(seed))
    image = Image.new("RGB", CASE_SIZE, (248, 248, 246))
    draw = ImageDraw.Draw(image)
    stem = Path(rel).stem
    drawing = next((fn for key, fn in DRAWINGS.items() if key in stem), draw_generic)
    drawing(draw, rng, seed)
    # a small label so the placeholder is recognisable as sample material
    label = "SAMPLE / " + stem
    f = font(16)
    box = draw.textbbox((0, 0), label, font=f)
    draw.rectangle((0, H - 28, box[2] - box[0] + 20, H), fill=(255, 255, 255))
    draw.text((10, H - 24), label, font=f, fill=(90, 90, 90))
    save_png(image, path)


# --- discovery -------------------------------------------------------------------------------------


def load(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rewrite images that already exist")
    args = parser.parse_args(argv)
    written = skipped = 0

    organizations = {}
    for org_file in sorted(ORGS.glob("*/organization.yml")):
        data = load(org_file)
        organizations[data.get("id", org_file.parent.name)] = (org_file, data)
    letters = short_initials({oid: initials(d.get("name_en", ""), oid) for oid, (_, d) in organizations.items()})
    for org_id, (org_file, data) in organizations.items():
        logo = data.get("logo")
        if not logo:
            continue
        target = org_file.parent / logo
        if target.exists() and not args.force:
            skipped += 1
            continue
        make_logo(org_id, letters[org_id], target)
        written += 1
        print(f"logo  {target.relative_to(ROOT)}  {letters[org_id]}  {target.stat().st_size} B")

    for case_file in sorted(CASES.glob("*/*.yml")):
        data = load(case_file)
        for image in data.get("images") or []:
            rel = image["file"]
            target = case_file.parent / rel
            if target.exists() and not args.force:
                skipped += 1
                continue
            make_case_image(f"{case_file.parent.name}/{rel}", target)
            written += 1
            print(f"image {target.relative_to(ROOT)}  {target.stat().st_size} B")

    print(f"{written} written, {skipped} already present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
