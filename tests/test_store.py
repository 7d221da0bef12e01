"""The one cache: keys are computed from the code, the library versions, the settings and a memoized
function's arguments — files by their bytes — so nothing is bumped or listed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from generator import model
from generator.build import _fingerprint
from generator.build import sitebuilder
from generator.checks import validate
from generator.render import Context, covers, share, store
from generator.render.store import Store, encode

from projects import copy_project

CALLS: list[tuple] = []


def shout(a: str, b: str, text: str) -> str:
    CALLS.append((a, b, text))
    return f"{a}{b}{text}".upper()


def size_of(a: str, b: str, path: Path) -> int:
    CALLS.append((a, b, path))
    return len(path.read_bytes())


def test_results_are_reused_for_the_same_arguments_only(tmp_path):
    CALLS.clear()
    s = Store(tmp_path / "memo.sqlite", ("x", "y"))
    assert s.call(shout, "abc") == "XYABC"
    assert Store(tmp_path / "memo.sqlite", ("x", "y")).call(shout, "abc") == "XYABC"  # a new build, same inputs
    assert CALLS == [("x", "y", "abc")]
    assert s.call(shout, "abd") == "XYABD"
    assert Store(tmp_path / "memo.sqlite", ("x", "z")).call(shout, "abc") == "XZABC"  # other settings
    assert len(CALLS) == 3


def test_a_file_argument_is_keyed_by_its_bytes_not_its_folder(tmp_path):
    CALLS.clear()
    s = Store(tmp_path / "memo.sqlite", ("x", "y"))
    one, two = tmp_path / "a" / "logo.png", tmp_path / "b" / "logo.png"
    for path in (one, two):
        path.parent.mkdir()
        path.write_bytes(b"12345")
    assert s.call(size_of, one) == 5
    assert s.call(size_of, two) == 5  # the same bytes under the same name in another folder
    assert len(CALLS) == 1
    one.write_bytes(b"1234567")  # replaced under the same name
    assert s.call(size_of, one) == 7
    assert len(CALLS) == 2


def test_only_functions_that_read_nothing_but_their_arguments_are_memoized(tmp_path):
    s = Store(tmp_path / "memo.sqlite")
    hidden = "read from outside"
    for fn in (lambda: hidden, (lambda x: lambda: x)(1), "abc".upper, shout.__call__):
        with pytest.raises(TypeError, match="module-level function"):
            s.call(fn)


def test_values_without_a_stable_text_are_refused():
    class Opaque:
        pass

    with pytest.raises(TypeError, match="no stable value"):
        encode((1, Opaque()))
    assert encode({"b": 1, "a": (2, [3])}) == encode({"a": (2, [3]), "b": 1})


def test_a_store_remembers_the_text_of_immutable_arguments_only(tmp_path):
    """Keys of one build share the texts of the objects they met (`Store._seen`): a frozen object's text
    is reused, a mutable one is encoded again, so a change to it between two calls is a new key."""
    from dataclasses import make_dataclass

    Frozen, Mutable = make_dataclass("Frozen", ["a", "b"], frozen=True), make_dataclass("Mutable", ["a"])
    CALLS.clear()
    s = Store(tmp_path / "memo.sqlite", ("x", "y"))
    frozen, mutable = Frozen("甲", (1, None)), Mutable("乙")
    assert encode((frozen, mutable), s._seen) == encode((frozen, mutable)) == "tuple(Frozen('甲',tuple(1,None)),Mutable('乙'))"
    s.call(shout, (frozen, mutable))
    mutable.a = "丙"
    s.call(shout, (frozen, mutable))
    assert len(CALLS) == 2
    assert encode((frozen, mutable), s._seen) == "tuple(Frozen('甲',tuple(1,None)),Mutable('丙'))"


def test_one_code_digest_is_in_every_key(tmp_path, monkeypatch):
    """The store's salt, the build's fingerprint and the page shells' salt all change with the code and the
    shaping libraries: they read the same `code_digest`, whose list of libraries is the only one."""
    root = copy_project(tmp_path / "p")
    config = sitebuilder._load(root / "mkdocs.yml", root / "docs", tmp_path / "site", "https://example.org/")
    before = (Store(tmp_path / "m", ("s",)).salt, _fingerprint(root), sitebuilder._shell_salt(config))
    monkeypatch.setattr(store, "code_digest", lambda: "another version")
    after = (Store(tmp_path / "m", ("s",)).salt, _fingerprint(root), sitebuilder._shell_salt(config))
    assert [a != b for a, b in zip(before, after)] == [True, True, True]
    assert "mkdocs-material" in store.SHAPING_DISTRIBUTIONS and "markdown" in store.SHAPING_DISTRIBUTIONS


def test_a_logo_replaced_under_the_same_name_redraws_its_covers(tmp_path):
    """No hand-listed key: the kit's covers are keyed by their spec, whose logo is a path — by its bytes."""
    root = copy_project(tmp_path / "p")
    catalog = model.build(validate(root))
    with_logo = next(n for n in share.kit_items(catalog) if n.org.logo is not None)
    mine = [n for n in share.kit_items(catalog) if n.org.id == with_logo.org.id]

    def drawn() -> int:
        ctx = Context(catalog=model.build(validate(root)), root=root, cache=tmp_path / "cache")
        before = covers.stats["drawn"]
        kits = share.Kits(ctx)
        kits.make([n for n in kits.items if n.org.id == with_logo.org.id])
        return covers.stats["drawn"] - before

    assert drawn() == len(mine)
    assert drawn() == 0
    logo = with_logo.org.logo
    with Image.open(logo) as img:
        img.transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(logo)
    assert drawn() == len(mine)


def test_the_store_holds_one_generation_of_the_code(tmp_path, monkeypatch):
    path = tmp_path / "memo.sqlite"
    Store(path, ("x", "y")).call(shout, "old")
    monkeypatch.setattr(store, "code_digest", lambda: "next version")
    s = Store(path, ("x", "y"))
    s.call(shout, "new")
    s.close()
    import sqlite3

    rows = sqlite3.connect(path).execute("SELECT code FROM memo_v2").fetchall()
    assert rows == [("next version",)]


def test_no_version_strings_to_bump():
    package = Path(store.__file__).resolve().parent.parent
    text = "\n".join(p.read_text("utf-8") for p in package.rglob("*.py"))
    for name in ("CODE_VERSION", "ENCODING_VERSION", "_SHAPING_DISTRIBUTIONS"):
        assert name not in text
