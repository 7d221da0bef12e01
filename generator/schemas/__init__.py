"""The JSON Schemas of every kind of file, shipped with the package (draft 2020-12)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources

from referencing import Registry, Resource

KINDS = ("organization", "service", "resource", "case", "figures", "taxonomy", "programme")
CURRENT_VERSION = 1
SUPPORTED_VERSIONS = frozenset({1})
DEPRECATED_VERSIONS: frozenset[int] = frozenset()  # still read, with a warning to update


@cache
def load(name: str) -> dict:
    """The schema for `name` (a kind, or "common")."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


@cache
def registry() -> Registry:
    """Resolves the relative `common.schema.json#/...` references the schemas use, offline."""
    return Registry().with_resource("common.schema.json", Resource.from_contents(load("common")))


COMMON_REF = "common.schema.json#/$defs/"


def definition(node: dict) -> str:
    """The name of the shared definition (common.schema.json) a property refers to, or ""."""
    ref = str(node.get("$ref", ""))
    return ref[len(COMMON_REF):] if ref.startswith(COMMON_REF) else ""


def resolve(node: dict, base: str = "common") -> tuple[dict, str]:
    """`node` with the definition its `$ref` names merged in (its own keywords win), and the schema that
    later local (`#/$defs/…`) references in it are relative to. `base` is the schema `node` is in."""
    ref = str(node.get("$ref", ""))
    if "#/$defs/" not in ref:
        return node, base
    base = "common" if ref.startswith(COMMON_REF) else base
    target, base = resolve(load(base)["$defs"][ref.rsplit("/", 1)[1]], base)
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}, base


def walk(kind: str) -> Iterator[tuple[tuple[str, ...], dict]]:
    """(path, resolved node) of every value a kind's files can hold, parents first: "*" in a path is any
    list item or map key; a resource kind's own fields (an `if kind == …` branch) are walked too."""

    def visit(node: dict, path: tuple[str, ...], base: str) -> Iterator[tuple[tuple[str, ...], dict]]:
        node, base = resolve(node, base)
        yield path, node
        for name, sub in node.get("properties", {}).items():
            yield from visit(sub, path + (name,), base)
        for key in ("additionalProperties", "items"):
            if isinstance(node.get(key), dict):
                yield from visit(node[key], path + ("*",), base)
        for branch in node.get("allOf", []):
            yield from visit(branch.get("then", {}), path, base)

    return visit(load(kind), (), kind)


@cache
def vocabulary_fields(kind: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Where a kind's schema marks a field `x-vocabulary`: (field path with "*" for any key, vocabulary)."""
    return tuple((path, node["x-vocabulary"]) for path, node in walk(kind) if "x-vocabulary" in node)


LINE_PATTERN = "^[^\\n]*\\S[^\\n]*$"  # common `line` and `title`: one line of text
SHORT = 200  # a text field limited to fewer characters (a short name, a number, a unit) is one line


@dataclass(frozen=True)
class TextField:
    """A field contributors fill with free text: `path` has "*" for any list item or map key."""

    path: tuple[str, ...]
    single_line: bool


@cache
def text_fields(kind: str) -> tuple[TextField, ...]:
    """Every free-text field of a kind: a string with no vocabulary, choice, format or pattern other
    than "one line". Single-line fields (titles, names, labels, tags) are those with that pattern."""
    found: dict[tuple[str, ...], TextField] = {}
    for path, node in walk(kind):
        if node.get("type") == "string" and not ({"enum", "const", "x-vocabulary", "format"} & set(node)) \
                and node.get("pattern", LINE_PATTERN) == LINE_PATTERN and not _in_vocabulary(kind, path):
            found.setdefault(path, TextField(path, "pattern" in node or node.get("maxLength", SHORT) < SHORT))
    return tuple(found.values())


def _in_vocabulary(kind: str, path: tuple[str, ...]) -> bool:
    """Whether `path` lies inside a field that takes vocabulary terms (its parts are not free text)."""
    return any(path[:len(at)] == at and len(path) > len(at) for at, _ in vocabulary_fields(kind))


def text_field(kind: str, path: tuple) -> TextField | None:
    """The free-text field a document value at `path` (list indexes as ints) belongs to, if any."""
    return _text_field(kind, tuple("*" if isinstance(part, int) else part for part in path))


@lru_cache(maxsize=4096)
def _text_field(kind: str, path: tuple) -> TextField | None:
    for field in text_fields(kind):
        if len(field.path) == len(path) and all(f == "*" or f == str(p) for f, p in zip(field.path, path)):
            return field
    return None
