"""The Jinja2 environment every renderer uses: templates live in generator/templates, HTML is
autoescaped, and contributed Markdown goes through `markup.markdown` only."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..model import urls
from . import markup


def _date(value: date | datetime | None, fmt: str = "%Y-%m-%d") -> str:
    return value.strftime(fmt) if value else ""


def _cn_date(value: date | datetime | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _number(value: float | int) -> str:
    """Figures are floats in the model; show 46 rather than 46.0, and 2.5 as it is."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"),
        autoescape=select_autoescape(["html", "xml", "md", "j2", "svg"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates are package data: no stat of every template file on every page
    )
    env.filters["markdown"] = lambda text: Markup(markup.markdown(text))
    env.filters["plain"] = markup.plain
    env.filters["date"] = _date
    env.filters["cn_date"] = _cn_date
    env.filters["number"] = _number
    env.globals["urls"] = urls
    return env


@cache
def exists(name: str) -> bool:
    """Whether the package ships template `name` (e.g. a kind's own partial, `pages/kinds/<kind>.html`)."""
    return name in environment().list_templates()


@cache
def template(name: str):
    return environment().get_template(name)


def render(name: str, **context) -> str:
    return template(name).render(**context)
