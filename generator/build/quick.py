"""The preview's quick step: an edited service, resource or case is on its page a second after saving.

`juli serve` knows which files changed. When they are existing services, resources or cases and still
valid, this step checks them again against the last build's catalog (`checks.revalidate`), models the
catalog, renders just their pages with the page renderer's own functions, fills them into the shells
the last build captured (`sitebuilder.fill_pages`) and replaces those files in the published site, one
atomic rename each. The full build runs right after and publishes the whole site as it always does —
the same bytes for these pages, and everything else that shows them (organization profiles, listings,
feeds, the search index). Anything this step cannot do exactly (a new or renamed file, an organization
or the taxonomy, an error, a page shape without a shell yet) it leaves to that build.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import model
from ..model import urls
from ..checks import Validation, revalidate
from ..render import pages
from ..render.frontmatter import docs_path
from .session import Session
from .sitebuilder import fill_pages


def publish(root: Path, out: Path, previous: Validation, changed: list[Path], work: Path | None = None) -> list[str]:
    """Publish the pages of the `changed` files into `out`; returns their site paths (none when the
    change is not one this step handles)."""
    root = root.resolve()
    work = (work or root / ".juli").resolve()
    validation = revalidate(previous, changed)
    if validation is None or not out.is_dir():
        return []
    catalog = model.build(validation)
    edited = {Path(p).resolve().relative_to(root).as_posix() for p in changed}
    items = [item for item in (*catalog.entries, *catalog.cases) if item.source in edited]
    with Session(catalog, root, work) as session:
        sources = {docs_path(here): markdown.decode("utf-8-sig")
                   for here, markdown in (pages.item_page(session.ctx, item) for item in items)}
    filled = fill_pages(root / "mkdocs.yml", work / "docs", out, catalog.programme.site.base_url, work / "cache",
                        sources)
    if filled is None:
        return []
    ready = [(urls.page(item) + "index.html", html) for item, html in zip(items, filled.values())]
    if not all((out / rel).parent.is_dir() for rel, _ in ready):
        return []
    for rel, html in ready:
        target = out / rel
        tmp = target.with_name(f".{target.name}.quick")
        tmp.write_bytes(html)
        os.replace(tmp, target)
    return [rel for rel, _ in ready]
