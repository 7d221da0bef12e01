"""Logos and case images, published at the paths `urls.logo` and `urls.case_image` name.

Never the contributed bytes: every image is decoded and encoded afresh by `images.encode` (allowed
formats only, bounded size, metadata such as EXIF GPS dropped, resized to what the site displays).
The build only runs on a catalog that passed validation, where `images.inspect` already refused
anything hostile. Encoded copies are kept in the build's store, keyed by the source's bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..load import images
from ..model import Programme, Taxonomy, urls
from . import Context, Output


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    wanted = [(urls.logo(org), org.logo, "logo") for org in c.organizations if org.logo is not None]
    wanted += [(urls.case_image(case, image), image.path, "case") for case in c.cases for image in case.images]
    encoded = ctx.memo_all(_encode, [(source, role) for _, source, role in wanted])
    for (path, _, _), data in zip(wanted, encoded):
        yield Output(path, data, tree="site")


def _encode(programme: Programme, taxonomy: Taxonomy, source: Path, role: images.Role) -> bytes:
    return images.encode(source, role)
