"""The only module that knows mkdocs: turn a docs tree into HTML with the project's mkdocs.yml.

Kept thin on purpose: mkdocs-material reaches its end of life in 2027, and its successor reads the
same mkdocs.yml and Markdown, so swapping builders must touch this file alone.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

THEME_DATA = ".juli-theme.json"  # written by generator.render.theme; dotfiles are never published


def build_html(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), site_url=site_url)
    theme_data = docs_dir / THEME_DATA
    if theme_data.is_file():
        config["extra"].update(json.loads(theme_data.read_text("utf-8")))
    build(config)
