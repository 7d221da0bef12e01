"""An independent reading of the catalog for the profile, map and progress tests: plain
`yaml.safe_load` over the files and the policy's counting rules written out again, so the generator's
model and metrics code is checked rather than reused. Also a minimal HTML tree for reading pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

ISSUED = {"发布", "实施"}  # standards count once issued; drafts and withdrawn ones do not
YEARLY_TARGETS = {"enterprises_served", "events"}


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def year_of(value) -> int:
    return int(str(value)[:4])


@dataclass
class Raw:
    taxonomy: dict
    programme: dict
    orgs: dict[str, dict] = field(default_factory=dict)
    services: dict[str, list[dict]] = field(default_factory=dict)
    resources: dict[str, list[dict]] = field(default_factory=dict)
    figures: dict[str, list[dict]] = field(default_factory=dict)

    def term_id(self, vocabulary: str, name: str) -> str:
        return next(t["id"] for t in self.taxonomy[vocabulary] if t["name"] == name)

    def names(self, vocabulary: str) -> list[str]:
        return [t["name"] for t in self.taxonomy[vocabulary]]

    def resource_capabilities(self, r: dict) -> list[str]:
        """A resource without capabilities counts towards its kind's default capability."""
        if r.get("capabilities"):
            return r["capabilities"]
        kind = next(t for t in self.taxonomy["resource_kinds"] if t["id"] == r["kind"])
        return [next(t["name"] for t in self.taxonomy["capabilities"] if t["id"] == kind["capability"])]

    def all_services(self) -> list[dict]:
        return [s for items in self.services.values() for s in items]

    def all_resources(self) -> list[dict]:
        return [r for items in self.resources.values() for r in items]

    def latest_year(self) -> int:
        return max(row["year"] for rows in self.figures.values() for row in rows)

    def figures_by_year(self, value) -> Counter:
        total: Counter = Counter()
        for rows in self.figures.values():
            for row in rows:
                total[row["year"]] += value(row)
        return total


def read(root: Path) -> Raw:
    raw = Raw(_load(root / "catalog" / "taxonomy.yml"), _load(root / "catalog" / "programme.yml"))
    for folder in sorted((root / "catalog" / "organizations").iterdir()):
        if not (folder / "organization.yml").is_file():
            continue
        org = _load(folder / "organization.yml")
        raw.orgs[org["id"]] = org
        raw.services[org["id"]] = [_load(p) for p in sorted((folder / "services").glob("*.y*ml"))]
        raw.resources[org["id"]] = [_load(p) for p in sorted((folder / "resources").glob("*.y*ml"))]
        raw.figures[org["id"]] = _load(folder / "figures.yml")["years"] if (folder / "figures.yml").is_file() else []
    return raw


# ---------------------------------------------------------------------------------------------
# A minimal HTML tree


@dataclass
class Node:
    tag: str
    attrs: dict
    children: list = field(default_factory=list)
    parent: "Node | None" = None

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None, **attrs):
        for c in self.children:
            if isinstance(c, Node):
                if (tag is None or c.tag == tag) and all(c.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items()):
                    yield c
                yield from c.iter(tag, **attrs)

    def find(self, tag: str | None = None, **attrs) -> "Node":
        found = next(self.iter(tag, **attrs), None)
        assert found is not None, f"no <{tag} {attrs}>"
        return found


_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#root", {})

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in _VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, parent=self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Node:
    builder = _Builder()
    builder.feed(text)
    return builder.root


def table_rows(table: Node) -> list[list[Node]]:
    return [[c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")] for tr in table.iter("tr")]


# ---------------------------------------------------------------------------------------------
# Charts

SVG = "{http://www.w3.org/2000/svg}"


def inline_charts(page: str) -> list:
    """The build-time charts of a page, each parsed as XML (so each must be well-formed)."""
    import re
    import xml.etree.ElementTree as ET

    return [ET.fromstring(svg) for svg in re.findall(r'<svg\b[^>]*class="juli-chart".*?</svg>', page, flags=re.S)]


def check_chart(el, max_width: float = 360, min_font: float = 12) -> None:
    """Text alternative (role, title, desc), and legible on a 360 px phone: a viewBox no wider than
    the screen, so the chart is never shrunk, and no text under 12 units."""
    assert el.get("role") == "img"
    assert (el.find(f"{SVG}title").text or "").strip() and (el.find(f"{SVG}desc").text or "").strip()
    assert el.get("aria-labelledby") == f"{el.get('id')}-title {el.get('id')}-desc"
    assert float(el.get("viewBox").split()[2]) <= max_width
    sizes = [float(t.get("font-size")) for t in el.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= min_font
