"""A generated page: front matter plus an HTML body, as a Markdown file for the site builder.

The theme's templates print `title` and `description` without escaping them, and both may come from
contributed text, so they are HTML-escaped here; the page looks the same and nothing can break out.
Values are written as JSON strings, which YAML reads as they are.
"""

from __future__ import annotations

import json
from html import escape

from . import Output


def docs_path(url: str) -> str:
    """The Markdown file that becomes the directory URL `url` (`""` is the home page)."""
    return f"{url}index.md"


def page(url: str, title: str, description: str, body: str, *, og_image: str = "",
         hide: tuple[str, ...] = ("navigation", "toc")) -> Output:
    meta: dict[str, object] = {"title": escape(title), "description": escape(" ".join(description.split()))}
    if og_image:
        meta["og_image"] = escape(og_image)
    if hide:
        meta["hide"] = list(hide)
    head = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items())
    return Output(docs_path(url), f"---\n{head}\n---\n\n{body.strip()}\n".encode("utf-8"))
