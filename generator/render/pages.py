"""Pages of the public site, as Markdown files (front matter + sanitized HTML) for the site builder."""

from __future__ import annotations

from typing import Iterable

from . import Context, Output


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    site = c.programme.site
    body = (
        f"---\ntitle: {site.title}\n---\n\n# {site.title}\n\n{site.description}\n\n"
        f"- 组织 {len(c.organizations)} 家\n- 服务产品 {len(c.services)} 项\n- 资源 {len(c.resources)} 项\n- 典型案例 {len(c.cases)} 个\n"
    )
    yield Output("index.md", body.encode("utf-8"))
