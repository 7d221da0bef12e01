"""Pages of the public site: home, the directory and a page per entry, the cases and a page per case,
events and the about page. Each is a Markdown file whose body is HTML from `templates/pages/`;
contributed Markdown reaches it only through the `markdown` filter."""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from ..model import freshness, urls
from ..model import Case, Catalog, Entry, Event, Organization, Programme, Taxonomy
from ..schemas import fields as kinds
from . import Context, Output, calendar, listing
from .frontmatter import docs_path, page
from .markup import plain
from .news import preview_image
from .templating import exists as template_exists, render as render_template

HOME_NEWEST = 6


def _body(template: str, here: str, c: Catalog, **context) -> str:
    return render_template(f"pages/{template}", c=c, site=c.programme.site, programme=c.programme,
                           wording=c.programme.wording, here=here, label=partial(_label, c.programme),
                           link=partial(urls.relative, here), **context)


def _label(programme: Programme, file: str, name: str) -> str:
    """A field's label on a page: the programme's wording for it, else the title its schema declares."""
    return programme.wording.label(name, kinds.title(file, name))


def _cover(ctx: Context, item: Entry | Case) -> str:
    """The page's preview image in WeChat and Weibo: its share kit's wide cover in the feeds' window,
    else the site's cover (`news.preview_image` decides)."""
    return urls.absolute(ctx.base_url, preview_image(ctx.catalog, item))


def render(ctx: Context) -> Iterable[Output]:
    c = ctx.catalog
    directory = listing.directory(c)
    cases = listing.cases(c)
    yield from _home(c, directory, cases)
    yield from _listing(c, directory, "服务产品和资源目录", "项",
                        "按类型、核心服务能力、产业领域、服务类别、园区、收费方式、服务对象和提供组织筛选科技型社会组织面向企业的服务产品和资源。",
                        listing.DIRECTORY_JSON)
    yield from _listing(c, cases, "典型案例", "个",
                        "科技型社会组织服务企业的典型案例：企业遇到的堵点痛点、组织的模式做法和取得的作用成效。",
                        listing.CASES_JSON)
    yield from _items(ctx, [*c.entries, *c.cases])
    yield _events(c)
    yield Output("favicon.ico", _favicon(), tree="site")
    yield page("about/", "关于本站", f"{c.programme.site.title}由{c.programme.site.host}主办。说明本站的内容来源和参与方式。",
               _body("about.html", "about/", c, review_months=c.programme.review_months), hide=("navigation",))


def _favicon() -> bytes:
    """/favicon.ico, which browsers ask for on pages without an icon link (the share kits' HTML): the
    theme's icon, so that request never ends in a 404."""
    import io
    from pathlib import Path

    import material
    from PIL import Image

    source = Path(material.__file__).parent / "templates" / "assets" / "images" / "favicon.png"
    out = io.BytesIO()
    with Image.open(source) as image:
        image.convert("RGBA").save(out, format="ICO", sizes=[(32, 32), (16, 16)])
    return out.getvalue()


def _home(c: Catalog, directory: listing.Listing, cases: listing.Listing) -> Iterable[Output]:
    services = listing.newest_first(c.services, lambda e: e.published)[:HOME_NEWEST]
    coming = calendar.upcoming(c)
    body = _body("home.html", "", c,
                 services=[directory.card(e) for e in services],
                 cases=cases.cards(HOME_NEWEST // 2),
                 upcoming=[directory.card(e) for e in coming[:HOME_NEWEST // 2]], upcoming_total=len(coming),
                 services_facet=next((f for f in directory.facet_views() if f.key == "service"), None))
    site = c.programme.site
    yield page("", site.subtitle or site.title, site.description or site.subtitle, body, hide=("navigation", "toc"))


def _listing(c: Catalog, lst: listing.Listing, heading: str, noun: str, lead: str,
             json_name: str) -> Iterable[Output]:
    """The listing's first page with the filter sheet, and static pages after it so that every item is
    reachable without JavaScript."""
    paths = lst.page_paths()
    for number, here in enumerate(paths, 1):
        start = (number - 1) * listing.PAGE_SIZE
        title = heading if number == 1 else f"{heading}（第 {number} 页）"
        body = _body("listing.html", here, c, heading=heading, lead=lead, json=urls.relative(here, lst.page + json_name),
                     noun=noun, total=len(lst.items), first=lst.cards(start + listing.PAGE_SIZE, start),
                     facets=lst.facet_views() if number == 1 else (), number=number, pages=paths,
                     pager=listing.pager(number, len(paths)), home=lst.page)
        yield page(here, title, lead, body, hide=("navigation", "toc"))
    yield Output(lst.page + json_name, lst.to_json(), tree="site")


def item_page(ctx: Context, item: Entry | Case) -> tuple[str, bytes]:
    """One entry's or case's page exactly as `render` makes it: its site path and its Markdown."""
    fn, args = (_case if isinstance(item, Case) else _entry)(ctx, item)
    return args[0], fn(ctx.catalog.programme, ctx.catalog.taxonomy, *args)


def rows(c: Catalog, entry: Entry) -> tuple[tuple[str, str, object, object, str], ...]:
    """The entry's detail rows, as its kind's schema declares them (`x-page`): (label, shape, value,
    companion value, unit), leaving out empty values."""
    out = []
    for f in kinds.page_rows(entry.kind):
        value = getattr(entry, f.name)
        if value is None or value == "" or value == ():
            continue
        companion = getattr(entry, f.companion) if f.companion else ""
        out.append((listing.label(c, f.name, f.title), f.shape, value, companion, f.unit))
    return tuple(out)


def partial_of(kind: str) -> str:
    """A kind's own partial, for the parts of its page laid out differently (`pages/kinds/<kind>.html`), or ""."""
    name = f"pages/kinds/{kind}.html"
    return name if template_exists(name) else ""


def _items(ctx: Context, items: list) -> Iterable[Output]:
    """The pages of `items`, each memoized by what it is given (`Context.memo_all`)."""
    calls: dict = {}
    for item in items:
        fn, args = (_case if isinstance(item, Case) else _entry)(ctx, item)
        calls.setdefault(fn, []).append(args)
    for fn, arguments in calls.items():
        for args, data in zip(arguments, ctx.memo_all(fn, arguments)):
            yield Output(docs_path(args[0]), data)


def _entry(ctx: Context, entry: Entry) -> tuple[Callable[..., bytes], tuple]:
    """One entry's page: the function that makes it and everything it shows (the entry, its organization,
    the cases citing it with their owners' short names, its kind's name, its review/expiry marks and
    its preview image)."""
    c = ctx.catalog
    org = c.organization(entry.org)
    related = tuple(listing.Card(k.title, urls.page(k), c.organization(k.org).short_name) for k in c.cases_citing(entry.uid))
    review, expired = freshness.needs_review(entry, c), freshness.expired(entry, c)
    return _entry_page, (urls.page(entry), entry, org, related, listing.kind_name(entry, c), review, expired,
                         _cover(ctx, entry), rows(c, entry), partial_of(entry.kind),
                         isinstance(entry, Event) and calendar.ended(entry, c))


def _entry_page(programme: Programme, taxonomy: Taxonomy, here: str, entry: Entry, org: Organization,
                related: tuple[listing.Card, ...], kind_name: str, review: bool, expired: bool, og_image: str,
                details: tuple, partial_name: str, ended: bool) -> bytes:
    event_time = ""
    if isinstance(entry, Event):
        fmt = "%Y年%-m月%-d日" if entry.all_day else "%Y年%-m月%-d日 %H:%M"
        start, end = entry.start.strftime(fmt), entry.end.strftime(fmt)
        event_time = start if start == end else f"{start} 至 {end}"
    body = _item_body("entry.html", here, programme, entry=entry, org=org, kind_name=kind_name, cases=related,
                      event_time=event_time, review=review, expired=expired, rows=details, partial=partial_name,
                      ended=ended)
    return page(here, entry.title, plain(entry.summary), body, og_image=og_image).data


def _case(ctx: Context, case: Case) -> tuple[Callable[..., bytes], tuple]:
    """One case's page: the function that makes it and what it shows (the case, its organizations, the
    entries it cites with their kinds and providers' short names, its review mark and its preview image)."""
    c = ctx.catalog
    related = []
    for uid in case.services + case.resources:
        e = c.entry(uid)
        related.append(listing.Card(e.title, urls.page(e), f"{listing.kind_name(e, c)} · {c.organization(e.org).short_name}"))
    orgs = tuple(c.organization(o) for o in case.organizations)
    return _case_page, (urls.page(case), case, orgs, tuple(related), freshness.needs_review(case, c), _cover(ctx, case))


def _case_page(programme: Programme, taxonomy: Taxonomy, here: str, case: Case, orgs: tuple[Organization, ...],
               related: tuple[listing.Card, ...], review: bool, og_image: str) -> bytes:
    body = _item_body("case.html", here, programme, case=case, orgs=orgs, related=related, review=review)
    return page(here, case.title, plain(case.summary), body, og_image=og_image).data


def _item_body(template: str, here: str, programme: Programme, **context) -> str:
    """An item page's body: its template sees the site settings and what the page was given, not the catalog."""
    return render_template(f"pages/{template}", site=programme.site, programme=programme, wording=programme.wording,
                           here=here, label=partial(_label, programme), link=partial(urls.relative, here), **context)


def _events(c: Catalog) -> Output:
    def view(e: Event) -> dict:
        fmt = "%Y-%m-%d" if e.all_day else "%Y-%m-%d %H:%M"
        start, end = e.start.strftime(fmt), e.end.strftime(fmt)
        same_day = e.start.date() == e.end.date()
        when = start if start == end else f"{start}–{end[11:] if same_day and not e.all_day else end}"
        return {"entry": e, "org": c.organization(e.org), "when": when}

    body = _body("events.html", "events/", c, today=freshness.as_of(c),
                 upcoming=[view(e) for e in calendar.upcoming(c)], past=[view(e) for e in calendar.past(c)])
    return page("events/", "品牌活动", "科技型社会组织举办的培训、交流、宣讲、对接、展示、论坛和大赛，可添加到手机日历。", body,
                hide=("navigation", "toc"))
