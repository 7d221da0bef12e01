"""The content editor at /admin/: the page, its vendored Decap CMS, and the configuration and form checks
generated from the schemas, the taxonomy and the validator's rules (see `generator.render.editor_config`).
Only /admin/index.html loads it; no public page refers to its scripts."""

from __future__ import annotations

from typing import Iterable

from . import editor_config as editor
from . import Context, Output


def render(ctx: Context) -> Iterable[Output]:
    catalog = ctx.catalog
    taxonomy = catalog.taxonomy
    vocabularies = {name: [t.name for t in terms] for name, terms in taxonomy.vocabularies.items()}
    kind_names = {t.id: t.name for t in taxonomy.terms("resource_kinds")}
    settings = catalog.programme.editor
    cfg = editor.config(vocabularies, kind_names, settings.__dict__ if settings else None,
                        catalog.programme.site.base_url)
    yield Output(editor.ADMIN + "config.yml", editor.config_yaml(cfg), "site")
    levels = [{"name": t.name, "pattern": t.pattern, "example": t.example} for t in taxonomy.terms("standard_levels")]
    yield Output(editor.ADMIN + "juli-rules.js", editor.checks_js(levels), "site")
    for name, data in editor.admin_files():
        yield Output(editor.ADMIN + name, data, "site")
