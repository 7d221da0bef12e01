"""Where every item lives on the site. One place, so pages, feeds, share kits and exports agree.

Paths are relative to the site root and end in `/` (directory URLs). `item_id` names an item in
`share/<item-id>/` and in feed ids: it never changes when the entry is edited.
"""

from __future__ import annotations

from urllib.parse import urljoin

from . import Case, Entry, Organization

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


def relative(here: str, target: str) -> str:
    """`target` (a site path) as a link from the page at `here` (a directory URL such as
    `directory/org/id/`). Pages link relatively so the site works under any base URL and offline."""
    base = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
        common += 1
    return "../" * (len(base) - common) + "/".join(parts[common:]) or "./"


def event_calendar(event: Entry) -> str:
    """The iCalendar file of one event."""
    return f"events/{item_id(event)}.ics"


UPCOMING_CALENDAR = "events/upcoming.ics"


def logo(org: Organization) -> str:
    """The organization's logo as published (issue 6 re-encodes it; the path stays)."""
    return f"media/logos/{org.id}.png"


def case_image(case: Case, image) -> str:
    """A case image as published, keyed by the case so two cases may use the same file name."""
    return f"media/cases/{case.org}/{case.id}/{image.path.name}"


def edit(item: Item, programme) -> str:
    """Where a reader corrects the item ("修改此条目 / 纠错"): the form for its file in the editor (/admin/,
    a site path), or, when programme.yml configures no `editor:` but names the `site.repository`, the code
    host's web editor for the file (an absolute URL)."""
    if programme.editor is None and programme.site.repository:
        return f"{programme.site.repository.rstrip('/')}/edit/main/{item.source}"
    if isinstance(item, Organization):
        collection = "organization"
    elif isinstance(item, Case):
        collection = "case"
    elif item.kind == "service":
        collection = "service"
    else:
        collection = "resource-" + item.kind.replace("_", "-")
    folder = "cases/" if isinstance(item, Case) else "catalog/organizations/"
    return f"admin/#/collections/{collection}/entries/{item.source.removeprefix(folder).removesuffix('.yml')}"


def edit_href(here: str, item: Item, programme) -> str:
    """`edit` as a link from the page at `here`."""
    target = edit(item, programme)
    return target if "://" in target else relative(here, target)
