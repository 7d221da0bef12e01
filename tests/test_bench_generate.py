"""The benchmark's synthetic catalog is valid under the real validator and the same for the same seed."""

from __future__ import annotations

import sys
from pathlib import Path

from generator.checks import validate
from generator.schemas.fields import resource_kinds

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.generate import generate  # noqa: E402


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for top in ("catalog", "cases") for p in sorted((root / top).rglob("*")) if p.is_file()}


def test_generated_catalog_is_valid_and_covers_every_kind(tmp_path):
    counts = generate(tmp_path / "a", size=30, seed=7)
    assert counts["entries"] == 30 and counts["organizations"] == 3 and counts["cases"] >= 3
    result = validate(tmp_path / "a")
    assert [p for p in result.problems] == []
    kinds = {d.data.get("kind") for s, d in result.documents if s.kind == "resource"}
    assert kinds == set(resource_kinds())  # every kind the schema declares
    logos = list((tmp_path / "a" / "catalog" / "organizations").glob("*/logo.png"))
    assert len(logos) == 3 and all(p.read_bytes().startswith(b"\x89PNG") for p in logos)


def test_same_seed_same_catalog(tmp_path):
    generate(tmp_path / "a", size=30, seed=7)
    generate(tmp_path / "b", size=30, seed=7)
    generate(tmp_path / "c", size=30, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
