"""Kinds and fields, declared once in the JSON Schemas and read everywhere through this module.

Every property carries a Chinese `title` (its label) and `description` (its help text): the standard
JSON Schema keywords that editors, the Decap CMS configuration, `juli new` and the published fields
page read. What the code needs besides is an annotation on the property:

- `x-vocabulary`: the taxonomy vocabulary whose term names the field takes;
- `x-page`: the field is a row of the entry page's details, in this order;
- `x-facet`: `{"key": query parameter, "order": n}`, a filter of the directory (vocabulary fields);
- `x-search`: the field's words are in the item's search record, in a role that sets their weight:
  `title`, `term` (a label shown on the page), `summary` or `text` (free text, indexed in part);
- `x-share`: the field is one of a share kit's facts (Markdown fields: an article section), in this order;
- `x-with`: a companion field shown in parentheses after this one (`fee` with `fee_note`);
- `x-unit`: the unit written after a number.

The entry kinds are "service" (service.schema.json, named by its `title`) and the resource kinds: the
`kind` enum of resource.schema.json, each with an `if kind == …` branch for its own fields, named by
the taxonomy's `resource_kinds`. Adding a kind therefore means editing that schema and the taxonomy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from . import definition, load

SERVICE = "service"
ENTRY_FILES = ("service", "resource")


@dataclass(frozen=True)
class Field:
    """One property of a file, with what its schema declares about it."""

    name: str
    title: str
    description: str
    required: bool
    node: dict  # the property as written (a `$ref` not followed)
    own: bool = False  # declared by one resource kind's branch, not by every entry
    kind: str = ""  # that resource kind

    @property
    def shape(self) -> str:
        """How the value is written and shown: term(s), date(time), markdown, url, int, bool, list,
        object, contact, tags or text."""
        tail = definition(self.node)
        if tail in ("terms", "term", "date", "datetime", "markdown", "url", "contact", "tags"):
            return tail
        if tail in ("count", "year") or self.node.get("type") == "integer":
            return "int"
        if self.node.get("type") == "boolean":
            return "bool"
        if self.node.get("type") == "object":
            return "object"
        if self.node.get("type") == "array":
            item = self.node.get("items", {})
            return "list" if item.get("type") == "string" or str(item.get("$ref", "")).endswith("/line") else "object"
        return "text"

    @property
    def vocabulary(self) -> str | None:
        return self.node.get("x-vocabulary")

    @property
    def page(self) -> int | None:
        return self.node.get("x-page")

    @property
    def facet(self) -> dict | None:
        return self.node.get("x-facet")

    @property
    def search(self) -> str:
        return self.node.get("x-search", "")

    @property
    def share(self) -> int | None:
        return self.node.get("x-share")

    @property
    def companion(self) -> str:
        return self.node.get("x-with", "")

    @property
    def unit(self) -> str:
        return self.node.get("x-unit", "")


def _branches(schema: dict) -> dict[str, dict]:
    return {b["if"]["properties"]["kind"]["const"]: b["then"] for b in schema.get("allOf", [])
            if "const" in b.get("if", {}).get("properties", {}).get("kind", {})}


@cache
def resource_kinds() -> tuple[str, ...]:
    """The resource kinds, in the schema's order (the `kind` enum)."""
    return tuple(load("resource")["properties"]["kind"]["enum"])


def entry_kinds() -> tuple[str, ...]:
    """Every kind of directory entry: services, then the resource kinds."""
    return (SERVICE,) + resource_kinds()


def file_of(kind: str) -> str:
    """The file (schema) an entry kind is written in."""
    return SERVICE if kind == SERVICE else "resource"


@cache
def fields(file: str, kind: str | None = None) -> tuple[Field, ...]:
    """The properties of a file, in the schema's order; for a resource kind, its own after the shared ones."""
    schema = load(file)
    required = set(schema.get("required", []))
    out = [Field(n, node.get("title", n), node.get("description", ""), n in required, node)
           for n, node in schema.get("properties", {}).items()]
    branch = _branches(schema).get(kind or "")
    if branch:
        own = set(branch.get("required", []))
        out += [Field(n, node.get("title", n), node.get("description", ""), n in own, node, True, kind or "")
                for n, node in branch.get("properties", {}).items()]
    return tuple(out)


def entry_fields(kind: str) -> tuple[Field, ...]:
    return fields(file_of(kind), None if kind == SERVICE else kind)


def own_fields(kind: str) -> tuple[Field, ...]:
    """What a kind declares beyond every entry's fields: a resource kind's branch, a service's extras."""
    if kind == SERVICE:
        shared = {f.name for f in fields("resource")}
        return tuple(f for f in fields(SERVICE) if f.name not in shared)
    return tuple(f for f in entry_fields(kind) if f.own)


@cache
def _by_name(kind: str) -> dict[str, Field]:
    return {f.name: f for f in entry_fields(kind)}


def field(kind: str, name: str) -> Field | None:
    """A field an entry kind declares, by name (None when the kind has no such field)."""
    return _by_name(kind).get(name)


def page_rows(kind: str) -> tuple[Field, ...]:
    """The entry page's detail rows of a kind, in their declared order."""
    return tuple(sorted((f for f in entry_fields(kind) if f.page is not None), key=lambda f: f.page))


def share_facts(kind: str) -> tuple[Field, ...]:
    """A share kit's facts (plain fields) and sections (Markdown fields) of a kind, in their declared order."""
    return tuple(sorted((f for f in entry_fields(kind) if f.share is not None), key=lambda f: f.share))


def searchable(file: str, kind: str | None = None) -> tuple[tuple[str, str], ...]:
    """(field, role) of the fields whose words an item's search record holds, in the schema's order:
    a file's (organization, case) or an entry kind's (`searchable(file_of(kind), kind)`)."""
    return tuple((f.name, f.search) for f in fields(file, None if kind == SERVICE else kind) if f.search)


@dataclass(frozen=True)
class FacetDecl:
    key: str
    order: int
    field: str
    title: str
    vocabulary: str


@cache
def facets() -> tuple[FacetDecl, ...]:
    """The directory's vocabulary facets, from every entry kind's fields, in their declared order."""
    found: dict[str, FacetDecl] = {}
    for kind in entry_kinds():
        for f in entry_fields(kind):
            if f.facet and f.vocabulary and f.facet["key"] not in found:
                found[f.facet["key"]] = FacetDecl(f.facet["key"], f.facet.get("order", 99), f.name, f.title, f.vocabulary)
    return tuple(sorted(found.values(), key=lambda d: (d.order, d.key)))


def kind_names(taxonomy: Any) -> dict[str, str]:
    """Entry kind → Chinese name: the service schema's title, the taxonomy's names of resource kinds.

    `taxonomy` is the model's Taxonomy or the raw `{vocabulary: [term…]}` mapping."""
    names = {SERVICE: load(SERVICE)["title"]}
    terms = taxonomy.terms("resource_kinds") if hasattr(taxonomy, "terms") else taxonomy.get("resource_kinds", [])
    for t in terms:
        term_id, name = (t.id, t.name) if hasattr(t, "id") else (t.get("id"), t.get("name"))
        names[str(term_id)] = str(name)
    return names


def title(file: str, name: str) -> str:
    """The label a file's schema declares for one of its shared properties."""
    return load(file)["properties"][name].get("title", name)


def part_titles(file: str, name: str) -> dict[str, str]:
    """The labels of the parts of a property whose value is a group of fields (an organization's `members`)."""
    return {k: v.get("title", k) for k, v in load(file)["properties"][name].get("properties", {}).items()}


def file_title(file: str) -> str:
    """The Chinese name of a kind of file (组织, 服务产品, 资源, 典型案例 …)."""
    return load(file)["title"]
