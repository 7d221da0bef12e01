"""Where every item lives on the site. One place, so pages, feeds, share kits and exports agree.

Paths are relative to the site root and end in `/` (directory URLs). `item_id` names an item in
`share/<item-id>/` and in feed ids: it never changes when the entry is edited.
"""

from __future__ import annotations

from urllib.parse import urljoin

from .model import Case, Entry, Organization

Item = Entry | Case | Organization


def page(item: Item) -> str:
    if isinstance(item, Organization):
        return f"organizations/{item.id}/"
    if isinstance(item, Case):
        return f"cases/{item.org}/{item.id}/"
    return f"directory/{item.org}/{item.id}/"


def item_id(item: Entry | Case) -> str:
    """Entry ids contain no dots, so `org.id` and `org.case.id` can never collide."""
    if isinstance(item, Case):
        return f"{item.org}.case.{item.id}"
    return f"{item.org}.{item.id}"


def share_dir(item: Entry | Case) -> str:
    return f"share/{item_id(item)}/"


def absolute(base_url: str, path: str) -> str:
    return urljoin(base_url, path)
