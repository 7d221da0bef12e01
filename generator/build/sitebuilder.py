"""The only module that knows mkdocs: turn a docs tree into HTML with the project's mkdocs.yml.

Kept thin on purpose: mkdocs-material reaches its end of life in 2027, and its successor reads the
same mkdocs.yml and Markdown, so swapping builders must touch this file alone.

Page shells. mkdocs renders every page through the theme's templates, which costs milliseconds a page
and made the catalog's item pages (one per entry, case and organization: thousands) the slowest part
of a build. The build names those pages (`shell`: docs path → hash of its Markdown source); mkdocs
still reads and converts each one's Markdown exactly as it would (same code, same config, same Files
collection for links) — except that a body made only of raw HTML blocks, as our templates write it, is
not run through Python-Markdown, whose result for such a body is known exactly (`raw_html_content`; the
conversion took 2 ms a page, most of a 10,000-page build's HTML stage) — but renders the theme once
per distinct page *shape* instead of once per page: a placeholder page of the same section and depth, the same front-matter keys and `hide` list, and
with or without its own `<h1>`, carries marker strings for title, description, `og_image`, canonical
URL and content. Its HTML is split on the markers, and every page of that shape is the shell with its
own values put back. Markers are only accepted where the theme prints the value verbatim (they contain
`<&"'>`, so any escaping or filter shows), and a page the shell cannot reproduce exactly (other
front-matter keys, a table of contents, a nav page under its folder, any mkdocs plugin) goes through
mkdocs as before. tests/test_shell.py builds the shipped catalog both ways and compares every byte.

Zensical (`builder="zensical"`, `juli build --builder zensical`), the Material team's successor, reads the
same mkdocs.yml, overrides and Markdown and renders the whole tree itself (no shells); it is pinned and
tested beside mkdocs-material, which stays the default until the switch planned in docs/builders.md.

Where mkdocs or Python-Markdown offer no public API for what the shells need, the code is in `seams`,
tested against the real thing at the pinned versions; with other versions installed, or when a shell
cannot be captured, every page goes through plain mkdocs and `HtmlResult.warnings` says why.

Shell pages are kept between builds in `<cache>/pages/`, named by the hash of their bytes, with a
manifest of the source hash, shape and shell each was made from, so a rebuild rewrites only pages whose
Markdown or shell changed; all of them are hard-linked into the output. The sitemap still lists every
page, in mkdocs' order. The manifest keeps the shells themselves too: `fill_pages` makes pages from
them without a build (the preview's quick step).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from ..render import store
from ..pool import parallel
from ..render.theme import THEME_DATA
from . import seams

SHELL_ROOT = "juli-shell"  # placeholder pages live at <section>/juli-shell-<n>/x/…; never published
_MARK = {
    "title": "\ue000JULI-TITLE<&\"'>\ue001",
    "description": "\ue000JULI-DESCRIPTION<&\"'>\ue001",
    "og_image": "\ue000JULI-OG-IMAGE<&\"'>\ue001",
}
_CONTENT = "\ue000JULI-CONTENT\ue001"
_KEYS = {"title", "description", "og_image", "hide"}
BUILDERS = ("mkdocs", "zensical")
log = logging.getLogger("juli")


@dataclass
class HtmlResult:
    """What the site builder did: pages built by mkdocs itself, pages filled into shells, and how many
    of those were (re)written rather than reused."""

    mkdocs_pages: int = 0
    shell_pages: int = 0
    shell_rendered: int = 0
    shells: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # in Chinese, for the person running the build


def _load(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str):
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    config = load_config(str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir), site_url=site_url)
    theme_data = docs_dir / THEME_DATA
    if theme_data.is_file():
        config["extra"].update(json.loads(theme_data.read_text("utf-8")))
    return config


def build_html(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str,
               shell: dict[str, str] | None = None, cache: Path | None = None, builder: str = "mkdocs",
               build_date: date | None = None) -> HtmlResult:
    """Build `docs_dir` into `site_dir`. Pages named in `shell` (docs path → source hash) are filled into
    theme shells and kept in `cache` between builds; without `shell`, mkdocs renders every page.
    `build_date` stands in for the clock (mkdocs stamps it into sitemap.xml), so rebuilds are identical."""
    if builder == "zensical":
        _zensical(config_file, docs_dir, site_dir, site_url, build_date)
        return HtmlResult()
    with seams.source_date(build_date):
        return _build_html(config_file, docs_dir, site_dir, site_url, shell, cache, builder)


def _build_html(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, shell: dict[str, str] | None,
                cache: Path | None, builder: str) -> HtmlResult:
    if builder != "mkdocs":
        raise ValueError(f"unknown site builder {builder!r}; one of {', '.join(BUILDERS)}")
    from mkdocs.commands.build import build

    config = _load(config_file, docs_dir, site_dir, site_url)
    result = HtmlResult()
    untested = seams.untested()
    if shell and untested:
        result.warnings.append(f"页面外壳未启用：{'、'.join(untested)}；全部页面改由 mkdocs 逐页渲染，结果相同，只是更慢。")
    if not shell or cache is None or len(config.plugins) or untested:
        build(config)
        _drop_unused_theme_assets(site_dir)
        result.mkdocs_pages = sum(1 for _ in site_dir.rglob("index.html"))
        return result
    plugin = _ShellPlugin(config, shell, cache)
    config.plugins["juli-shell"] = plugin
    build(config)
    failed = plugin.finish(site_dir, result)
    if failed:  # a shell could not be captured: mkdocs renders every page itself, as without shells
        template, uri = failed
        result.warnings.append(f"无法从模板 {template} 截取页面外壳（例如 {uri}）；全部页面改由 mkdocs 逐页渲染，结果相同，只是更慢。")
        log.warning("page shells could not be captured from template %s (e.g. %s); mkdocs renders every page", template, uri)
        build(_load(config_file, docs_dir, site_dir, site_url))
        result.mkdocs_pages = sum(1 for _ in site_dir.rglob("index.html"))
    _drop_unused_theme_assets(site_dir)
    return result


def _drop_unused_theme_assets(site_dir: Path) -> None:
    """The theme copies its JavaScript (bundle, search worker, lunr) and source maps into every site; no
    page loads them (overrides/main.html leaves the bundle out), so they are not published."""
    shutil.rmtree(site_dir / "assets" / "javascripts", ignore_errors=True)
    for source_map in (site_dir / "assets" / "stylesheets").glob("*.map"):
        source_map.unlink()


def _zensical(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, build_date: date | None) -> None:
    """Zensical wants its config, docs and site folders inside the project: the config is written beside
    mkdocs.yml for the run, with the theme's data from the docs tree; its clock is SOURCE_DATE_EPOCH in
    its own environment."""
    import subprocess
    import sys

    import yaml

    executable = Path(sys.executable).with_name("zensical")
    if not executable.exists() and not shutil.which("zensical"):
        raise RuntimeError("Zensical is not installed: pip install -e . (it is a dependency of juli)")
    project = config_file.resolve().parent
    config = yaml.safe_load(config_file.read_text("utf-8"))
    theme_data = docs_dir / THEME_DATA
    if theme_data.is_file():
        config.setdefault("extra", {}).update(json.loads(theme_data.read_text("utf-8")))
    config.update(site_url=site_url, docs_dir=os.path.relpath(docs_dir, project), site_dir=os.path.relpath(site_dir, project))
    path = project / f".juli-zensical-{os.getpid()}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        env = {**os.environ, **seams.source_date_env(build_date)}
        done = subprocess.run([str(executable if executable.exists() else "zensical"), "build", "--clean", "-f", str(path)],
                              cwd=project, capture_output=True, text=True, env=env)
    finally:
        path.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"zensical build failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")


# ---------------------------------------------------------------------------------------------------
# Converting pages: mkdocs' own reading and Markdown rendering, in a process pool when there are many.

class _Converter:
    """Reads and converts pages exactly as mkdocs' build does before it applies the theme, with this
    build's config and Files; a page whose Markdown is only raw HTML blocks of the proven shape
    (`raw_html_content`) skips Python-Markdown. Forked workers inherit it (see `pool.parallel`)."""

    def __init__(self, config, files):
        self.config, self.files = config, files
        self.fast = _raw_html_pass(config)

    def content(self, markdown: str) -> str | None:
        return self.fast(markdown) if self.fast else None

    def convert(self, uri: str) -> tuple[str, dict, str, bool]:
        from mkdocs.structure.pages import Page

        file = self.files.get_file_from_path(uri)
        return (uri, *seams.read_page(Page(None, file, self.config), self.config, self.files, self.content))

    def convert_all(self, uris: list[str]) -> list[tuple[str, dict, str, bool]]:
        return parallel([partial(self.convert, uri) for uri in uris])


# ---------------------------------------------------------------------------------------------------
# Raw HTML pages without Markdown. An item page's body is HTML from our own templates, and Python-Markdown
# (3.11, read for this) turns such a body into itself: NormalizeWhitespace runs first (CR/LF, tabs, STX/ETX,
# lines of spaces); then HTMLExtractor stashes each top-level block-level element that starts a line as
# one raw block — the concatenated text of its start tags, data, end tags and `&name;`/`&#n;` references,
# i.e. the source slice — until its tag stack empties at the element's own end tag (the stack mirrors the
# nesting when tags nest properly; void tags pushed on it are popped with their parent); each block
# becomes a paragraph holding only its placeholder, which no block, inline or tree processor (tables,
# attr_list, toc, mkdocs' links) touches; the raw_html postprocessor puts the block back unwrapped (it is
# block-level), paragraphs are joined by "\n", and the result is stripped. `raw_html_content` returns
# that result only for a body made of such elements, each at the start of a line, separated by newlines
# alone, with every `<` opening a strict, double-quoted, single-line tag (no comment, declaration,
# processing instruction, script, `</>`), every `&#` a complete reference, no Markdown fence, a `<style>`
# or `<script>` element (both block-level, both read as text up to their end tag) only at top level,
# without attributes and with no `<` inside, and only when the Markdown instance mkdocs would build
# has exactly the processors this was proven with. Anything else returns None: mkdocs converts it.
# tests/test_shell.py compares it with the real conversion on every item page of a generated catalog.

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_RAW_TEXT = frozenset("script style textarea xmp iframe noembed noframes noscript plaintext".split())
_TAG = seams.TAG
_TAG_OR_LT = re.compile(f"{_TAG.pattern}|<")
_CHARREF = re.compile(r"&#(?:[0-9]+|[xX][0-9a-fA-F]+);")
_PROVEN = {  # the processors of the Markdown instance the shortcut was proven against
    "preprocessors": ["normalize_whitespace", "fenced_code_block", "html_block"],
    "blockprocessors": ["empty", "indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote",
                        "reference", "paragraph", "table"],
    "inlinepatterns": ["backtick", "escape", "reference", "link", "image_link", "image_reference", "short_reference",
                       "short_image_ref", "autolink", "automail", "linebreak", "html", "entity", "em_strong"],
    "treeprocessors": ["inline", "prettify", "unescape", "attr_list", "toc"],
    "postprocessors": ["raw_html", "amp_substitute"],
}


def _raw_html_pass(config):
    """`raw_html_content` bound to the Markdown settings of `config`, or None when they differ from the
    ones it was proven with (another extension, a Markdown release other than `seams.TESTED`'s)."""
    import markdown
    from markdown.preprocessors import NormalizeWhitespace

    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    if seams.untested() or not seams.processors_match(md, _PROVEN):
        return None
    from markdown.htmlparser import htmlparser

    normalize = NormalizeWhitespace(md)
    block_level = frozenset(md.block_level_elements)
    parser = htmlparser.HTMLParser  # elements whose content the parser reads as text (Python's version decides)
    raw_text = _RAW_TEXT | {*parser.CDATA_CONTENT_ELEMENTS, *getattr(parser, "RCDATA_CONTENT_ELEMENTS", ())}
    return lambda text: raw_html_content(text, normalize, block_level, raw_text)


def raw_html_content(text: str, normalize, block_level: frozenset[str], raw_text: frozenset[str]) -> str | None:
    """What Python-Markdown makes of `text` when it is only raw HTML blocks (see above), else None."""
    text = "\n".join(normalize.run(text.split("\n")))
    if "```" in text or "~~~" in text or text.count("&#") != len(_CHARREF.findall(text)):
        return None
    blocks: list[str] = []
    pos, end = 0, len(text.rstrip("\n"))
    while pos < end:
        start = pos
        if pos and text[pos - 1] != "\n":
            return None
        raw = next((name for name in ("style", "script") if text.startswith(f"<{name}>", pos)), None)
        if raw is not None:
            close = text.find(f"</{raw}>", pos)
            if close < 0 or "<" in text[pos + len(raw) + 2:close]:
                return None
            stop = close + len(raw) + 3
        else:
            stop = _element_end(text, pos, block_level, raw_text)
            if stop is None:
                return None
        pos = stop
        while pos < end and text[pos] == "\n":
            pos += 1
        if pos == stop and pos < end:
            return None
        # a blank line after a block stays with it: the stash keeps one newline (`blank_line_re`)
        blocks.append(text[start:stop] + ("\n" if pos < end and pos - stop > 1 else ""))
    return "\n".join(blocks) if blocks else None


def _element_end(text: str, pos: int, block_level: frozenset[str], raw_text: frozenset[str]) -> int | None:
    """The end of the block-level element starting at `pos` when every tag up to its end tag is strict
    and nests properly (void tags aside), else None."""
    if not text.startswith("<", pos):
        return None
    stack: list[str] = []
    for tag in _TAG_OR_LT.finditer(text, pos):  # every `<` from `pos` on, in order: a strict tag or not
        closing, name, attributes, empty = tag.groups()
        if name is None:
            return None
        name = name.lower()  # as the parser reports it (SVG's linearGradient)
        if name in raw_text or (closing and (attributes or empty or name in _VOID)):
            return None
        if not stack and (closing or empty or name in _VOID or name not in block_level):
            return None
        if closing:
            if stack.pop() != name:
                return None
            if not stack:
                return tag.end()
        elif not empty and name not in _VOID:
            stack.append(name)
    return None


# ---------------------------------------------------------------------------------------------------
# Shapes and shells.


def _shape(uri: str, meta: dict, content: str, has_toc: bool, nav_urls: list[str]) -> str | None:
    """The key of the shell a page can be filled into, or None when only mkdocs can render it exactly."""
    parts = uri.split("/")
    if has_toc or len(parts) < 3 or parts[-1] != "index.md" or not set(meta) <= _KEYS:
        return None
    if not all(isinstance(meta.get(k), str) and meta[k] for k in ("title", "description")):
        return None
    if "og_image" in meta and not (isinstance(meta["og_image"], str) and meta["og_image"]):
        return None
    hide = meta.get("hide")
    if hide is not None and not (isinstance(hide, list) and all(isinstance(h, str) for h in hide)):
        return None
    # Links from a page to the nav pages depend on the folders they share: a placeholder in the same
    # section shares the same ones as long as no nav page lies deeper inside that section.
    if any(u.split("/")[:2] == parts[:2] for u in nav_urls):
        return None
    return json.dumps([parts[0], len(parts) - 1, sorted(meta), hide, "<h1" in content], ensure_ascii=False)


def _placeholder(n: int, shape: str) -> tuple[str, str, str]:
    """The docs path and Markdown source of shape `shape`'s placeholder, and the content mkdocs will
    make of its body."""
    section, depth, keys, hide, has_h1 = json.loads(shape)
    uri = "/".join([section, f"{SHELL_ROOT}-{n}", *["x"] * (depth - 2), "index.md"])
    meta = {k: _MARK[k] for k in keys if k in _MARK}
    if hide is not None:
        meta["hide"] = hide
    head = "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items())
    content = f"<h1>{_CONTENT}</h1>" if has_h1 else f"<p>{_CONTENT}</p>"
    return uri, f"---\n{head}\n---\n\n{content}\n", content


@dataclass
class _Shell:
    parts: list[str]  # literal, slot, literal, slot, …, literal
    salt: str = ""  # what else shapes a page (site URL, Markdown settings, versions): part of the digest

    def fill(self, meta: dict, content: str, canonical: str) -> bytes:
        """The page with this shape: its front-matter values, converted body and canonical URL put back."""
        values = {k: meta.get(k, "") for k in _MARK}
        values.update(content=content, canonical=canonical)
        return "".join(p if i % 2 == 0 else values[p] for i, p in enumerate(self.parts)).encode(
            "utf-8", errors="xmlcharrefreplace")  # as mkdocs writes pages

    @property
    def digest(self) -> str:
        return hashlib.sha256(json.dumps([self.salt, self.parts], ensure_ascii=False).encode()).hexdigest()


def _split(html: str, markers: dict[str, str]) -> _Shell | None:
    """The placeholder's HTML split on its markers, or None when a marker was changed on its way (escaped,
    filtered) or a trace of the placeholder remains outside the markers."""
    pattern = re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(html):
        parts += [html[last:match.start()], markers[match.group()]]
        last = match.end()
    parts.append(html[last:])
    literal = "".join(parts[0::2])
    if "\ue000" in literal or "\ue001" in literal or SHELL_ROOT in literal:
        return None
    return _Shell(parts)


def _shell_salt(config) -> str:
    """What else shapes a page besides its shell's parts: site URL and Markdown settings, with the code and
    library versions every key of the build holds (`store.salt`)."""
    return store.salt(config.site_url, config.markdown_extensions, config.mdx_configs, config.use_directory_urls)


class _ShellPlugin:
    """Hooks into mkdocs' build: converts the shell pages, keeps them out of mkdocs' rendering, renders
    one placeholder per shape, and lists every page in the sitemap.

    Its manifest (`pages.json`) has, for each shell page by docs path, the hash of its Markdown
    (`source`), its `shape` (None: mkdocs renders it), the digest of the `shell` it was filled into and
    the hash of the filled `page` (its file in `pages/`)."""

    def __init__(self, config, shell: dict[str, str], cache: Path):
        self.config, self.shell, self.cache = config, shell, cache
        self.tree = cache / "pages"
        self.record = cache / "pages.json"
        try:
            saved = json.loads(self.record.read_text("utf-8"))
        except (OSError, ValueError):
            saved = {}
        pages = saved.get("pages", {})
        self.saved_pages: dict[str, dict] = pages if all(isinstance(v, dict) for v in pages.values()) else {}
        self.converted: dict[str, tuple[dict, str]] = {}
        self.shapes: dict[str, str] = {}  # docs path → shape, for every page filled into a shell
        self.placeholders: dict[str, tuple[str, str]] = {}  # placeholder docs path → (shape, its content)
        self.captured: dict[str, _Shell | None] = {}
        self.templates: dict[str, str] = {}  # shape → the theme template its placeholder went through
        self.order: list = []
        self.converter: _Converter | None = None
        self.salt = _shell_salt(config)

    def _stored(self, digest: str) -> Path:
        """A filled page in the cache, named by the hash of its bytes: one flat folder, no folder per page."""
        return self.tree / f"{digest}.html"

    # mkdocs' PluginCollection registers every on_* method of the object.
    def on_files(self, files, config):
        from mkdocs.structure.files import File, InclusionLevel

        self.converter = _Converter(config, files)
        nav_urls = _nav_urls(config)
        self.order = [f for f in files if f.is_documentation_page() and f.inclusion.is_included()]
        known = {f.src_uri for f in self.order}
        todo = []
        for uri, digest in sorted(self.shell.items()):
            if uri not in known:
                continue
            saved = self.saved_pages.get(uri)
            if saved is None or saved["source"] != digest:
                todo.append(uri)
            elif saved["shape"] is None:
                continue  # known to need mkdocs itself
            elif saved["page"] and self._stored(saved["page"]).is_file():
                self.shapes[uri] = saved["shape"]
            else:
                todo.append(uri)
        for uri, meta, content, has_toc in self.converter.convert_all(todo):
            shape = _shape(uri, meta, content, has_toc, nav_urls)
            self.saved_pages[uri] = {"source": self.shell[uri], "shape": shape, "shell": None, "page": None}
            if shape is not None:
                self.shapes[uri] = shape
                self.converted[uri] = (meta, content)
        for shape in sorted(set(self.shapes.values())):
            uri, source, content = _placeholder(len(self.placeholders), shape)
            file = File.generated(config, uri, content=source, inclusion=InclusionLevel.NOT_IN_NAV)
            files.append(file)
            self.placeholders[uri] = (shape, content)
        for f in self.order:
            if f.src_uri in self.shapes:
                f.inclusion = InclusionLevel.EXCLUDED
        return files

    def on_page_markdown(self, markdown, page, config, files):
        """The pages mkdocs renders itself (the section pages: home, listings, map, progress…) skip
        Python-Markdown too when their body is only raw HTML blocks (`raw_html_content`): their
        conversion, which parses every page twice with Python's HTML parser, took most of the HTML stage
        beside the shells (1.4 MB of progress table at 1,000 organizations)."""
        uri = page.file.src_uri
        if uri in self.shell or uri in self.placeholders:
            return markdown  # shell pages are converted by `_Converter`; placeholders must go through mkdocs
        content = self.converter.content(markdown)
        if content is not None:
            seams.skip_render(page, content)
        return markdown

    def on_page_content(self, html, page, config, files):
        entry = self.placeholders.get(page.file.src_uri)
        if entry is not None:
            shape, content = entry
            if html != content:  # the Markdown pipeline changed the marker: no shell for this shape
                self.captured[shape] = None
        return html

    def on_post_page(self, output, page, config):
        entry = self.placeholders.get(page.file.src_uri)
        if entry is None:
            return output
        shape, content = entry
        self.templates[shape] = page.meta.get("template", "main.html")
        if shape not in self.captured:
            markers = {m: k for k, m in _MARK.items()}
            markers[content] = "content"
            markers[page.canonical_url] = "canonical"
            self.captured[shape] = _split(output, markers)
            if self.captured[shape] is not None:
                self.captured[shape].salt = self.salt
        return ""  # a placeholder is never written

    def on_template_context(self, context, template_name, config):
        """The sitemap lists the shell pages too, which mkdocs never made `Page`s of (`seams.sitemap_page`)."""
        if template_name == "sitemap.xml":
            base = config.site_url or ""
            base = base if not base or base.endswith("/") else base + "/"
            day = seams.build_date()
            context["pages"] = [seams.sitemap_page(f, base, day) for f in self.order]
        return context

    def finish(self, site_dir: Path, result: HtmlResult) -> tuple[str, str] | None:
        """Fill every shell page (reusing unchanged ones), link them into the site, save the manifest.
        When a shape's shell could not be captured, returns its template and one of its pages instead:
        the caller has mkdocs render everything."""
        from mkdocs.structure.pages import Page

        config, files = self.converter.config, self.converter.files
        failed = sorted(uri for uri, shape in self.shapes.items() if self.captured.get(shape) is None)
        if failed:
            return self.templates.get(self.shapes[failed[0]], "main.html"), failed[0]
        shells = {shape: self.captured[shape] for shape in set(self.shapes.values())}
        digests = {shape: s.digest for shape, s in shells.items()}
        stale = [uri for uri, shape in self.shapes.items()
                 if uri not in self.converted and self.saved_pages[uri]["shell"] != digests[shape]]
        for uri, meta, content, _ in self.converter.convert_all(sorted(stale)):
            self.converted[uri] = (meta, content)
        for uri, (meta, content) in sorted(self.converted.items()):
            shape = self.shapes[uri]
            file = files.get_file_from_path(uri)
            page = file.page or Page(None, file, config)
            data = shells[shape].fill(meta, content, page.canonical_url)
            digest = hashlib.sha256(data).hexdigest()
            target = self._stored(digest)
            if self.saved_pages[uri]["page"] != digest or not target.is_file():
                self.tree.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
                result.shell_rendered += 1
            self.saved_pages[uri] = {"source": self.shell[uri], "shape": shape, "shell": digests[shape], "page": digest}
        for uri in set(self.saved_pages) - set(self.shell):
            del self.saved_pages[uri]
        kept = {f"{saved['page']}.html" for saved in self.saved_pages.values() if saved["page"]}
        for name in set(os.listdir(self.tree)) - kept if self.tree.is_dir() else ():
            stale = self.tree / name
            if stale.is_dir():  # the layout of an older version
                shutil.rmtree(stale)
            else:
                stale.unlink()
        made: set[Path] = set()
        for uri in sorted(self.shapes):
            dest = site_dir / _dest(uri)
            if dest.parent not in made:
                dest.parent.mkdir(parents=True, exist_ok=True)
                made.add(dest.parent)
            try:
                os.link(self._stored(self.saved_pages[uri]["page"]), dest)
            except OSError:
                shutil.copy2(self._stored(self.saved_pages[uri]["page"]), dest)
        result.shell_pages = len(self.shapes)
        result.mkdocs_pages = len(self.order) - len(self.shapes)
        result.shells = digests
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.record.with_name(f".{self.record.name}.tmp")
        parts = {shape: shell.parts for shape, shell in shells.items()}
        tmp.write_text(json.dumps({"pages": self.saved_pages, "parts": parts, "salt": self.salt},
                                  ensure_ascii=False), "utf-8")
        os.replace(tmp, self.record)
        return None


def fill_pages(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, cache: Path,
               sources: dict[str, str]) -> dict[str, bytes] | None:
    """The HTML of item pages from their Markdown (`sources`: docs path → source), filled into the shells
    the last build captured: the bytes that build would write for them. None when that cannot be known
    without a build for any of them — no shell of its shape yet, other settings, a body that needs
    Python-Markdown, plugins. The preview's quick step (see `generator.build.quick`)."""
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page
    from mkdocs.utils import meta as front_matter

    try:
        saved = json.loads((cache / "pages.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    config = _load(config_file, docs_dir, site_dir, site_url)
    fast = _raw_html_pass(config)
    if len(config.plugins) or fast is None or saved.get("salt") != _shell_salt(config):
        return None
    nav_urls, shells = _nav_urls(config), saved.get("parts", {})
    out = {}
    for uri, source in sources.items():
        markdown, meta = front_matter.get_data(source)
        content = fast(markdown)
        shape = _shape(uri, meta, content, False, nav_urls) if content is not None else None
        if shape not in shells:
            return None
        page = Page(None, File(uri, str(docs_dir), str(site_dir), config.use_directory_urls), config)
        out[uri] = _Shell(shells[shape]).fill(meta, content, page.canonical_url)
    return out


def _dest(uri: str) -> str:
    """Where a page's HTML goes (directory URLs): `a/b/index.md` → `a/b/index.html`."""
    return uri[: -len("index.md")] + "index.html"


def _nav_urls(config) -> list[str]:
    return [_url_of(v) for v in _nav_paths(config.nav)]


def _nav_paths(nav) -> list[str]:
    out: list[str] = []
    for item in nav or []:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            out += _nav_paths(value) if isinstance(value, list) else [value] if isinstance(value, str) else []
    return out


def _url_of(path: str) -> str:
    return path[: -len("index.md")] if path.endswith("index.md") else path.removesuffix(".md") + "/"
