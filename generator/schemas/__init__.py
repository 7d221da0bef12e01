"""The JSON Schemas of every kind of file, shipped with the package (draft 2020-12)."""

from __future__ import annotations

import json
from functools import cache
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


@cache
def vocabulary_fields(kind: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """Where a kind's schema marks a field `x-vocabulary`: (field path with "*" for any key, vocabulary)."""
    found: list[tuple[tuple[str, ...], str]] = []

    def walk(node: dict, path: tuple[str, ...]) -> None:
        if "x-vocabulary" in node:
            found.append((path, node["x-vocabulary"]))
        for name, sub in node.get("properties", {}).items():
            walk(sub, path + (name,))
        if isinstance(node.get("additionalProperties"), dict):
            walk(node["additionalProperties"], path + ("*",))
        for branch in node.get("allOf", []):
            walk(branch.get("then", {}), path)

    walk(load(kind), ())
    return tuple(found)
