"""Logos and case images, published at the paths `urls.logo` and `urls.case_image` name.

Never the contributed bytes: every image is decoded and encoded afresh by `images.encode` (allowed
formats only, bounded size, metadata such as EXIF GPS dropped, resized to what the site displays).
The build only runs on a catalog that passed validation, where `images.inspect` already refused
anything hostile. Encoded copies are cached by the source's bytes.
"""

from __future__ import annotations

from typing import Iterable

from .. import images, urls
from . import Context, Output


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    cache = ctx.cache / "media"
    for org in c.organizations:
        if org.logo is not None:
            yield Output(urls.logo(org), images.encode_cached(org.logo, "logo", cache), tree="site")
    for case in c.cases:
        for image in case.images:
            yield Output(urls.case_image(case, image), images.encode_cached(image.path, "case", cache), tree="site")
