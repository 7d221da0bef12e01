"""Pages of the public site: home, the directory and a page per entry, the cases and a page per case,
events and the about page. Each is a Markdown file whose body is HTML from `templates/pages/`;
contributed Markdown reaches it only through the `markdown` filter."""

from __future__ import annotations

from functools import partial
from typing import Callable, Iterable

from ..model import freshness, urls
from ..model import Case, Catalog, Entry, Event
from . import Context, Output, calendar, listing
from .frontmatter import docs_path, page
from .markup import plain
from .news import preview_image
from .templating import render as render_template

HOME_NEWEST = 6


def _body(template: str, here: str, c: Catalog, **context) -> str:
    return render_template(f"pages/{template}", c=c, site=c.programme.site, here=here,
                           link=partial(urls.relative, here), **context)


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
                        "科技型社会组织服务企业的典型案例:企业遇到的堵点痛点、组织的模式做法和取得的作用成效。",
                        listing.CASES_JSON)
    jobs = [_entry(ctx, entry) for entry in c.entries] + [_case(ctx, case) for case in c.cases]
    for (here, key, produce), data in zip(jobs, ctx.memo_all("page-item", [(key, produce) for _, key, produce in jobs])):
        yield Output(docs_path(here), data)
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
        title = heading if number == 1 else f"{heading}(第 {number} 页)"
        body = _body("listing.html", here, c, heading=heading, lead=lead, json=urls.relative(here, lst.page + json_name),
                     noun=noun, total=len(lst.items), first=lst.cards(start + listing.PAGE_SIZE, start),
                     facets=lst.facet_views() if number == 1 else (), number=number, pages=paths, home=lst.page)
        yield page(here, title, lead, body, hide=("navigation", "toc"))
    yield Output(lst.page + json_name, lst.to_json(), tree="site")


def item_page(ctx: Context, item: Entry | Case) -> tuple[str, bytes]:
    """One entry's or case's page exactly as `render` makes it: its site path and its Markdown."""
    here, _, produce = (_case if isinstance(item, Case) else _entry)(ctx, item)
    return here, produce()


def _entry(ctx: Context, entry: Entry) -> tuple[str, tuple, Callable[[], bytes]]:
    """One entry's page: where it goes, everything it shows (the memo key: the entry, its organization,
    the cases citing it with their owners' short names, its kind's name, its review/expiry marks and
    its preview image) and how to make it."""
    c = ctx.catalog
    here = urls.page(entry)
    org = c.organization(entry.org)
    related = [listing.Card(k.title, urls.page(k), c.organization(k.org).short_name) for k in c.cases_citing(entry.uid)]
    kind_name = listing.kind_name(entry, c)
    review, expired = freshness.needs_review(entry, c), freshness.expired(entry, c)
    og_image = _cover(ctx, entry)
    ended = isinstance(entry, Event) and entry.end.date() < freshness.as_of(c)  # no "add to calendar" then

    def produce() -> bytes:
        event_time = ""
        if isinstance(entry, Event):
            fmt = "%Y年%-m月%-d日" if entry.all_day else "%Y年%-m月%-d日 %H:%M"
            start, end = entry.start.strftime(fmt), entry.end.strftime(fmt)
            event_time = start if start == end else f"{start} 至 {end}"
        body = _body("entry.html", here, c, entry=entry, org=org, kind_name=kind_name, cases=related,
                     event_time=event_time, review=review, expired=expired, ended=ended)
        return page(here, entry.title, plain(entry.summary), body, og_image=og_image).data

    return here, ("entry", entry, org, related, kind_name, review, expired, og_image, ended), produce


def _case(ctx: Context, case: Case) -> tuple[str, tuple, Callable[[], bytes]]:
    """One case's page: where it goes, what it shows (the case, its organizations, the entries it cites
    with their kinds and providers' short names, its review mark and its preview image) and how to
    make it."""
    c = ctx.catalog
    here = urls.page(case)
    related = []
    for uid in case.services + case.resources:
        e = c.entry(uid)
        related.append(listing.Card(e.title, urls.page(e), f"{listing.kind_name(e, c)} · {c.organization(e.org).short_name}"))
    orgs = [c.organization(o) for o in case.organizations]
    review = freshness.needs_review(case, c)
    og_image = _cover(ctx, case)

    def produce() -> bytes:
        body = _body("case.html", here, c, case=case, orgs=orgs, related=related, review=review)
        return page(here, case.title, plain(case.summary), body, og_image=og_image).data

    return here, ("case", case, orgs, related, review, og_image), produce


def _events(c: Catalog) -> Output:
    def view(e: Event) -> dict:
        fmt = "%Y-%m-%d" if e.all_day else "%Y-%m-%d %H:%M"
        start, end = e.start.strftime(fmt), e.end.strftime(fmt)
        same_day = e.start.date() == e.end.date()
        when = start if start == end else f"{start}–{end[11:] if same_day and not e.all_day else end}"
        return {"entry": e, "org": c.organization(e.org), "when": when}

    body = _body("events.html", "events/", c, today=freshness.as_of(c),
                 upcoming=[view(e) for e in calendar.upcoming(c)], past=[view(e) for e in calendar.past(c)])
    return page("events/", "品牌活动", "科技型社会组织举办的培训、交流、宣讲、对接、展示、论坛和大赛,可添加到手机日历。", body,
                hide=("navigation", "toc"))
