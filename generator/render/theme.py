"""What the theme needs from the catalog: the site's own CSS and script, and the programme settings the
footer and head show (host, contact, filing numbers), handed to the site builder as data.

`THEME_DATA` is a dotfile so the site builder never publishes it as a page; `sitebuilder` merges it into
the theme's `extra` settings, so settings stay in programme.yml and templates never hard-code them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib import resources
from typing import Iterable

from . import Context, Output

THEME_DATA = ".juli-theme.json"  # a dotfile: the site builder never publishes it as a page
ASSETS = ("juli.css", "juli-filter.js")


def render(ctx: Context) -> Iterable[Output]:
    site = ctx.catalog.programme.site
    data = {"juli": {"site": asdict(site)}}
    yield Output(THEME_DATA, (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8"))
    folder = resources.files("generator").joinpath("assets")
    for name in ASSETS:
        yield Output(f"assets/{name}", folder.joinpath(name).read_bytes())
