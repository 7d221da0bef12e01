"""Logos and case images, published at the paths `urls.logo` and `urls.case_image` name.

For now the original bytes are copied as they are. Issue 6 replaces the copying with validation and
re-encoding (size limits, stripped metadata, PNG/JPEG output); the paths, and so every page that links
them, stay the same.
"""

from __future__ import annotations

from typing import Iterable

from .. import urls
from . import Context, Output


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    for org in c.organizations:
        if org.logo is not None:
            yield Output(urls.logo(org), org.logo.read_bytes(), tree="site")
    for case in c.cases:
        for image in case.images:
            yield Output(urls.case_image(case, image), image.path.read_bytes(), tree="site")
