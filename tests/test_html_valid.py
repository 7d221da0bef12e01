"""The Nu HTML Checker (npm `vnu-jar`, pinned in package.json; needs Java) finds no error in our own
markup on one page of every kind. The theme's own errors, listed in docs/contributing/deploy.md, are
the only ones allowed, matched by message and by the theme's markup they point at."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.model import urls
from generator.render import news

ROOT = Path(__file__).resolve().parents[1]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
THEME_ERRORS = [  # (message starts with, the extract contains): mkdocs-material's own markup
    ("Attribute “autocomplete” is only allowed when the input type is", 'class="md-toggle"'),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     'class="md-nav__title" for="__toc"'),
]


def _pages(site: Path, catalog) -> list[Path]:
    event = next(e for e in catalog.resources if e.kind == "event")
    paths = ["", "directory/", "directory/page/2/", urls.page(catalog.services[0]), urls.page(event),
             urls.page(catalog.resources[0]), "cases/", urls.page(catalog.cases[0]), "organizations/",
             urls.page(catalog.organizations[0]), "map/", "progress/", "data/", "events/", "changes/", "about/",
             "policy/", "contributing/", "search/", "share/", news.kit_items(catalog)[0].share_dir]
    return [site / p / "index.html" for p in paths] + [site / "404.html"]


def _theme(message: dict) -> bool:
    return any(message["message"].startswith(m) and part in message.get("extract", "") for m, part in THEME_ERRORS)


@pytest.mark.slow
def test_no_html_errors_in_our_markup(built_site):
    if not VNU.is_file():
        pytest.fail(f"{VNU.relative_to(ROOT)} is missing: run `npm ci --no-audit --no-fund` (`make test` does)", pytrace=False)
    java = shutil.which("java")
    assert java, "Java is needed for the Nu HTML Checker (Debian: default-jre-headless)"
    pages = _pages(built_site.site, built_site.catalog)
    done = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    ours = [f"{m['url'].rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
            if m["type"] == "error" and not _theme(m)]
    assert not ours, "\n".join(ours)
    assert all(p.is_file() for p in pages)
