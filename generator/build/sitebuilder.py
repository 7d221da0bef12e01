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
same mkdocs.yml, overrides and Markdown and renders the whole tree itself (no shells); it is optional
(the `bench` extra) and mkdocs-material stays the default.

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
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from ..render.theme import THEME_DATA

SHELL_ROOT = "juli-shell"  # placeholder pages live at <section>/juli-shell-<n>/x/…; never published
_MARK = {
    "title": "\ue000JULI-TITLE<&\"'>\ue001",
    "description": "\ue000JULI-DESCRIPTION<&\"'>\ue001",
    "og_image": "\ue000JULI-OG-IMAGE<&\"'>\ue001",
}
_CONTENT = "\ue000JULI-CONTENT\ue001"
_KEYS = {"title", "description", "og_image", "hide"}
BUILDERS = ("mkdocs", "zensical")
_PARALLEL_FROM = 64  # pages to convert before a process pool pays for itself


@dataclass
class HtmlResult:
    """What the site builder did: pages built by mkdocs itself, pages filled into shells, and how many
    of those were (re)written rather than reused."""

    mkdocs_pages: int = 0
    shell_pages: int = 0
    shell_rendered: int = 0
    shells: dict[str, str] = field(default_factory=dict)


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
    with _source_date(build_date):
        return _build_html(config_file, docs_dir, site_dir, site_url, shell, cache, builder)


@contextmanager
def _source_date(day: date | None) -> Iterator[None]:
    """mkdocs honours SOURCE_DATE_EPOCH (reproducible-builds.org) wherever it would read the clock."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    if day is not None:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp()))
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _build_html(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str, shell: dict[str, str] | None,
                cache: Path | None, builder: str) -> HtmlResult:
    if builder == "zensical":
        _zensical(config_file, docs_dir, site_dir, site_url)
        return HtmlResult()
    if builder != "mkdocs":
        raise ValueError(f"unknown site builder {builder!r}; one of {', '.join(BUILDERS)}")
    from mkdocs.commands.build import build

    config = _load(config_file, docs_dir, site_dir, site_url)
    result = HtmlResult()
    if not shell or cache is None or len(config.plugins):
        build(config)
        _drop_unused_theme_assets(site_dir)
        return result
    plugin = _ShellPlugin(config, shell, cache)
    config.plugins["juli-shell"] = plugin
    build(config)
    plugin.finish(site_dir, result)
    _drop_unused_theme_assets(site_dir)
    return result


def _drop_unused_theme_assets(site_dir: Path) -> None:
    """The theme copies its JavaScript (bundle, search worker, lunr) and source maps into every site; no
    page loads them (overrides/main.html leaves the bundle out), so they are not published."""
    shutil.rmtree(site_dir / "assets" / "javascripts", ignore_errors=True)
    for source_map in (site_dir / "assets" / "stylesheets").glob("*.map"):
        source_map.unlink()


def _zensical(config_file: Path, docs_dir: Path, site_dir: Path, site_url: str) -> None:
    """Zensical wants its config, docs and site folders inside the project: the config is written beside
    mkdocs.yml for the run, with the theme's data from the docs tree."""
    import subprocess
    import sys

    import yaml

    executable = Path(sys.executable).with_name("zensical")
    if not executable.exists() and not shutil.which("zensical"):
        raise RuntimeError("Zensical is not installed: pip install -e '.[bench]' (or pip install zensical)")
    project = config_file.resolve().parent
    config = yaml.safe_load(config_file.read_text("utf-8"))
    theme_data = docs_dir / THEME_DATA
    if theme_data.is_file():
        config.setdefault("extra", {}).update(json.loads(theme_data.read_text("utf-8")))
    config.update(site_url=site_url, docs_dir=os.path.relpath(docs_dir, project), site_dir=os.path.relpath(site_dir, project))
    path = project / f".juli-zensical-{os.getpid()}.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    try:
        done = subprocess.run([str(executable if executable.exists() else "zensical"), "build", "--clean", "-f", str(path)],
                              cwd=project, capture_output=True, text=True)
    finally:
        path.unlink(missing_ok=True)
    if done.returncode != 0:
        raise RuntimeError(f"zensical build failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}")


# ---------------------------------------------------------------------------------------------------
# Converting pages: mkdocs' own reading and Markdown rendering, in a process pool when there are many.

_STATE: dict[str, Any] = {}  # config and Files of the current build, inherited by forked workers


def _convert(uris: list[str]) -> list[tuple[str, dict, str, bool]]:
    """Read and render pages exactly as mkdocs' build does before it applies the theme; a page whose
    Markdown is only raw HTML blocks of the proven shape (`raw_html_content`) skips the conversion."""
    from mkdocs.structure.pages import Page

    config, files = _STATE["config"], _STATE["files"]
    if "raw_html" not in _STATE:
        _STATE["raw_html"] = _raw_html_pass(config)
    fast = _STATE["raw_html"]
    out = []
    for uri in uris:
        file = files.get_file_from_path(uri)
        page = Page(None, file, config)
        page = config.plugins.on_pre_page(page, config=config, files=files)
        page.read_source(config)
        page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
        content = fast(page.markdown) if fast else None
        if content is None:
            page.render(config, files)
            content, has_toc = page.content, bool(page.toc)
        else:
            has_toc = False
        content = config.plugins.on_page_content(content, page=page, config=config, files=files)
        out.append((uri, page.meta, content, has_toc))
    return out


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
_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)((?: [a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"<>`\n]*")?)*)( ?/)?>')
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


def _processors(md) -> dict[str, list[str]]:
    registries = {"preprocessors": md.preprocessors, "blockprocessors": md.parser.blockprocessors,
                  "inlinepatterns": md.inlinePatterns, "treeprocessors": md.treeprocessors,
                  "postprocessors": md.postprocessors}
    return {name: sorted(item.name for item in registry._priority) for name, registry in registries.items()}


def _raw_html_pass(config):
    """`raw_html_content` bound to the Markdown settings of `config`, or None when they differ from the
    ones it was proven with (another extension, another Markdown release)."""
    import markdown
    from markdown.preprocessors import NormalizeWhitespace

    md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    if markdown.__version_info__[:2] != (3, 11) or _processors(md) != {k: sorted(v) for k, v in _PROVEN.items()}:
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
    stack: list[str] = []
    while True:
        tag = _TAG.match(text, pos)
        if tag is None:
            return None
        closing, name, attributes, empty = tag.groups()
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
        pos = text.find("<", tag.end())
        if pos < 0:
            return None


def _convert_all(uris: list[str]) -> list[tuple[str, dict, str, bool]]:
    workers = min(os.cpu_count() or 1, 8)
    if len(uris) < _PARALLEL_FROM or workers < 2:
        return _convert(uris)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    size = max(16, len(uris) // (workers * 8))
    batches = [uris[i:i + size] for i in range(0, len(uris), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return [row for batch in pool.map(_convert, batches) for row in batch]


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


def _salt(config) -> str:
    """What else shapes a page besides its shell's parts: site URL, Markdown settings, versions."""
    from importlib.metadata import version

    return json.dumps([config.site_url, config.markdown_extensions, config.mdx_configs, config.use_directory_urls,
                       [version(d) for d in ("mkdocs", "mkdocs-material", "markdown")]],
                      ensure_ascii=False, sort_keys=True, default=str)


class _ShellPlugin:
    """Hooks into mkdocs' build: converts the shell pages, keeps them out of mkdocs' rendering, renders
    one placeholder per shape, and lists every page in the sitemap."""

    def __init__(self, config, shell: dict[str, str], cache: Path):
        self.config, self.shell, self.cache = config, shell, cache
        self.tree = cache / "pages"
        self.record = cache / "pages.json"
        try:
            saved = json.loads(self.record.read_text("utf-8"))
        except (OSError, ValueError):
            saved = {}
        self.saved_pages: dict[str, list] = saved.get("pages", {})
        self.saved_shells: dict[str, str] = saved.get("shells", {})
        self.converted: dict[str, tuple[dict, str]] = {}
        self.shapes: dict[str, str] = {}  # docs path → shape, for every page filled into a shell
        self.placeholders: dict[str, tuple[str, str]] = {}  # placeholder docs path → (shape, its content)
        self.captured: dict[str, _Shell | None] = {}
        self.order: list = []
        self.salt = _salt(config)

    def _stored(self, digest: str) -> Path:
        """A filled page in the cache, named by the hash of its bytes: one flat folder, no folder per page."""
        return self.tree / f"{digest}.html"

    # mkdocs' PluginCollection registers every on_* method of the object.
    def on_files(self, files, config):
        from mkdocs.structure.files import File, InclusionLevel

        _STATE.update(config=config, files=files)
        nav_urls = _nav_urls(config)
        self.order = [f for f in files if f.is_documentation_page() and f.inclusion.is_included()]
        known = {f.src_uri for f in self.order}
        todo = []
        for uri, digest in sorted(self.shell.items()):
            if uri not in known:
                continue
            saved = self.saved_pages.get(uri)
            if saved and saved[0] == digest and saved[1] is not None and saved[3] and self._stored(saved[3]).is_file():
                self.shapes[uri] = saved[1]
            elif saved and saved[0] == digest and saved[1] is None:
                continue  # known to need mkdocs itself
            else:
                todo.append(uri)
        for uri, meta, content, has_toc in _convert_all(todo):
            shape = _shape(uri, meta, content, has_toc, nav_urls)
            self.saved_pages[uri] = [self.shell[uri], shape, None, None]
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
            return markdown  # shell pages are converted by `_convert`; placeholders must go through mkdocs
        if "raw_html" not in _STATE:
            _STATE["raw_html"] = _raw_html_pass(config)
        content = _STATE["raw_html"](markdown) if _STATE["raw_html"] else None
        if content is not None:
            page.render = lambda config, files: _rendered(page, content)
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
        if shape not in self.captured:
            markers = {m: k for k, m in _MARK.items()}
            markers[content] = "content"
            markers[page.canonical_url] = "canonical"
            self.captured[shape] = _split(output, markers)
            if self.captured[shape] is not None:
                self.captured[shape].salt = self.salt
        return ""  # a placeholder is never written

    def on_template_context(self, context, template_name, config):
        """The sitemap lists the shell pages too, which mkdocs never made `Page`s of. Its template reads
        four attributes of a page; making 10,000 `Page`s for them took most of a second, so the shell
        pages get those four, computed as `Page.__init__` does (one build date for all)."""
        if template_name == "sitemap.xml":
            from types import SimpleNamespace
            from urllib.parse import urljoin, urlsplit

            from mkdocs.utils import get_build_date

            base = config.site_url or ""
            base = base if not base or base.endswith("/") else base + "/"
            date = get_build_date()

            def listed(f):
                if f.page is not None:
                    return f
                canonical = urljoin(base, f.url) if base else None
                page = SimpleNamespace(is_link=False, canonical_url=canonical, update_date=date,
                                       abs_url=urlsplit(canonical).path if canonical else None)
                return SimpleNamespace(page=page)

            context["pages"] = [listed(f) for f in self.order]
        return context

    def finish(self, site_dir: Path, result: HtmlResult) -> None:
        """Fill every shell page (reusing unchanged ones), link them into the site, save the manifest."""
        from mkdocs.structure.pages import Page

        config, files = _STATE["config"], _STATE["files"]
        failed = [uri for uri, shape in self.shapes.items() if self.captured.get(shape) is None]
        if failed:  # cannot happen with the shipped theme; if it does, mkdocs must render these pages
            raise RuntimeError(f"page shells could not be captured for {len(failed)} pages, e.g. {failed[0]}")
        shells = {shape: self.captured[shape] for shape in set(self.shapes.values())}
        digests = {shape: s.digest for shape, s in shells.items()}
        stale = [uri for uri, shape in self.shapes.items()
                 if uri not in self.converted and self.saved_pages[uri][2] != digests[shape]]
        for uri, meta, content, _ in _convert_all(sorted(stale)):
            self.converted[uri] = (meta, content)
        for uri, (meta, content) in sorted(self.converted.items()):
            shape = self.shapes[uri]
            file = files.get_file_from_path(uri)
            page = file.page or Page(None, file, config)
            data = shells[shape].fill(meta, content, page.canonical_url)
            digest = hashlib.sha256(data).hexdigest()
            target = self._stored(digest)
            if self.saved_pages[uri][3] != digest or not target.is_file():
                self.tree.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
                result.shell_rendered += 1
            self.saved_pages[uri] = [self.shell[uri], shape, digests[shape], digest]
        for uri in set(self.saved_pages) - set(self.shell):
            del self.saved_pages[uri]
        kept = {f"{saved[3]}.html" for saved in self.saved_pages.values() if saved[3]}
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
                os.link(self._stored(self.saved_pages[uri][3]), dest)
            except OSError:
                shutil.copy2(self._stored(self.saved_pages[uri][3]), dest)
        result.shell_pages = len(self.shapes)
        result.mkdocs_pages = len(self.order) - len(self.shapes)
        result.shells = digests
        self.cache.mkdir(parents=True, exist_ok=True)
        tmp = self.record.with_name(f".{self.record.name}.tmp")
        parts = {shape: shell.parts for shape, shell in shells.items()}
        tmp.write_text(json.dumps({"pages": self.saved_pages, "shells": digests, "parts": parts, "salt": self.salt},
                                  ensure_ascii=False), "utf-8")
        os.replace(tmp, self.record)
        _STATE.clear()


_ATTRIBUTE = re.compile(r' ([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')


def _rendered(page, content: str) -> None:
    """What mkdocs' `Page.render` sets, for a body `raw_html_content` converted: the content; an empty
    table of contents and no title from it (headings inside raw HTML are not Markdown headings); the
    anchors the raw HTML declares and no links to check (mkdocs only logs about those)."""
    from html import unescape

    from mkdocs.structure.toc import get_toc

    anchors = set()
    for tag in _TAG.finditer(content):
        for name, value in _ATTRIBUTE.findall(tag.group(3) or ""):
            if name.lower() == "id" or (name.lower() == "name" and tag.group(2).lower() == "a"):
                anchors.add(unescape(value))
    page.content = content
    page.toc = get_toc([])
    page._title_from_render = None
    page.present_anchor_ids = anchors
    page.links_to_anchors = {}


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
    if len(config.plugins) or fast is None or saved.get("salt") != _salt(config):
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
