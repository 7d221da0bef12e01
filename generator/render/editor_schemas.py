"""JSON Schemas for editors: the package's schemas made self-contained (the shared definitions copied
in, so one file is enough for VS Code's YAML extension or a web page) and with the taxonomy's terms
injected as `enum`s wherever a field is marked `x-vocabulary`, so editors autocomplete vocabularies.

`juli schemas` writes them to `schemas/` at the project root (the folder new entries' headers point
to); the site publishes the same bytes under `schemas/`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Mapping, Sequence

from .. import schemas
from ..load import read

FOLDER = "schemas"
COMMON_REF = "common.schema.json#/$defs/"


def file_name(kind: str) -> str:
    return f"{kind}.schema.json"


def header_path(rel: str, kind: str) -> str:
    """The `$schema=` path a file at `rel` (relative to the project root) uses to reach its schema."""
    depth = rel.count("/")
    return "../" * depth + f"{FOLDER}/{file_name(kind)}"


def build(vocabularies: Mapping[str, Sequence[str]]) -> dict[str, bytes]:
    """File name → JSON bytes for every kind of file, with vocabularies as enums."""
    common = schemas.load("common")["$defs"]
    out = {}
    for kind in schemas.KINDS:
        schema = copy.deepcopy(schemas.load(kind))
        shared = {name: copy.deepcopy(common[name]) for name in sorted(_needed(schema, common))}
        for node in [schema, *shared.values()]:
            _localise(node)
        if shared:
            schema["$defs"] = {**schema.get("$defs", {}), **shared}
        _inject(schema, vocabularies)
        out[file_name(kind)] = (json.dumps(schema, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return out


def from_taxonomy(taxonomy) -> dict[str, bytes]:
    """Editor schemas from the model's `Taxonomy` (used by the site's renderer)."""
    return build({name: [t.name for t in terms] for name, terms in taxonomy.vocabularies.items()})


def from_root(root: Path) -> dict[str, bytes]:
    """Editor schemas from `catalog/taxonomy.yml` under `root`, read even if other files have problems."""
    path = root / "catalog/taxonomy.yml"
    doc, _ = read(path, "catalog/taxonomy.yml") if path.is_file() else (None, [])
    data = doc.data if doc else {}
    vocabularies = {
        key: [t["name"] for t in terms if isinstance(t, dict) and isinstance(t.get("name"), str)]
        for key, terms in data.items() if isinstance(terms, list)
    }
    return build(vocabularies)


def _refs(node: Any):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _needed(schema: dict, common: dict) -> set[str]:
    """The shared definitions a schema uses, directly or through other shared definitions."""
    needed: set[str] = set()
    todo = [r[len(COMMON_REF):] for r in _refs(schema) if r.startswith(COMMON_REF)]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo += [r[len("#/$defs/"):] for r in _refs(common[name]) if r.startswith("#/$defs/")]
    return needed


def _localise(node: Any) -> None:
    """References to the shared file become references to this file's own `$defs`."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMMON_REF):
            node["$ref"] = "#/$defs/" + ref[len(COMMON_REF):]
        for value in node.values():
            _localise(value)
    elif isinstance(node, list):
        for value in node:
            _localise(value)


def _inject(node: Any, vocabularies: Mapping[str, Sequence[str]]) -> None:
    if isinstance(node, dict):
        vocabulary = node.get("x-vocabulary")
        names = list(vocabularies.get(vocabulary, ())) if vocabulary else []
        if names:
            many = str(node.get("$ref", "")).endswith("/terms") or node.get("type") == "array"
            if many:
                node["items"] = {"enum": names}
            else:
                node["enum"] = names
        for value in node.values():
            _inject(value, vocabularies)
    elif isinstance(node, list):
        for value in node:
            _inject(value, vocabularies)
