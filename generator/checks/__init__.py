"""The check stage: every file through its JSON Schema, then semantic rules over the whole catalog.

A file's parse and schema result depends only on its path, kind and bytes (and on this process's code),
so it is kept per process keyed by the SHA-256 of those bytes: a long-running process (`juli serve`)
re-parses only the files whose bytes changed, while every file is still read and hashed each time
and the semantic checks still run over the whole catalog.
"""

from __future__ import annotations

import gc
import hashlib
from contextlib import contextmanager
from functools import partial
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..load import Document, Source, discover, read, read_regular
from ..load.problems import problem
from ..load.problems import Problem, has_errors
from ..pool import parallel
from . import schema, semantic, text


@dataclass
class Validation:
    """What the check stage hands on: the parsed documents and every problem found, sorted."""

    root: Path
    documents: list[tuple[Source, Document]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)


def validate(root: Path) -> Validation:
    with gc_paused():
        return _validate(root.resolve())


def _validate(root: Path) -> Validation:
    sources, problems = discover(root)
    result = Validation(root)
    seen = set()
    for source, (doc, found) in zip(sources, _checked_all(sources)):
        seen.add((str(source.path), source.rel, source.kind))
        problems += found
        if doc is not None:
            result.documents.append((source, doc))
    for key in set(_CHECKED) - seen:  # files gone since the last call
        del _CHECKED[key]
    problems += semantic.check([semantic.Parsed(s, d) for s, d in result.documents], sources)
    result.problems = sorted(set(problems))
    return result


QUICK_KINDS = ("service", "resource", "case")  # whose rules read no other file but by its listed id


def revalidate(previous: Validation, paths: list[Path]) -> Validation | None:
    """`previous` with the files at `paths` read and checked again: the preview's quick step, for edits
    to existing services, resources and cases. None when a path is anything else (a new, removed or
    renamed file, an organization, the taxonomy…) or an edited file has an error: the full validation
    that follows reports it."""
    documents = list(previous.documents)
    where = {str(source.path): i for i, (source, _) in enumerate(documents)}
    taxonomy = next((doc for source, doc in documents if source.kind == "taxonomy"), None)
    sources = [source for source, _ in documents]
    problems = list(previous.problems)
    for path in paths:
        path = Path(path).resolve()
        i = where.get(str(path))
        if i is None and not path.exists():
            continue  # an editor's transient file (vim's 4913, a swap file), already gone
        if i is None or documents[i][0].kind not in QUICK_KINDS or not documents[i][0].path.is_file():
            return None
        source = documents[i][0]
        doc, found = _checked(source)
        if doc is None:
            return None
        documents[i] = (source, doc)
        found += semantic.check_one(semantic.Parsed(source, doc), taxonomy, sources)
        if has_errors(found):
            return None
        problems = [p for p in problems if p.file != source.rel] + found
    return Validation(previous.root, documents, sorted(set(problems)))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cycle collector paused while the catalog is checked: documents are trees (reference
    counting frees them), and collections that walk every document read so far took a fifth of the
    validation of 10,000 entries."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# (path, rel, kind) -> (sha256 of the bytes, document, parse and schema problems); see the module docstring.
_CHECKED: dict[tuple[str, str, str], tuple[bytes, Document | None, list[Problem]]] = {}


def _checked(source: Source) -> tuple[Document | None, list[Problem]]:
    """One file parsed and checked against its schema, reused when its bytes are the ones seen last time.
    Documents are never mutated downstream (the model copies them into frozen dataclasses)."""
    return _checked_all([source])[0]


def _checked_all(sources: list[Source]) -> list[tuple[Document | None, list[Problem]]]:
    """`_checked` of every source, in order. The files whose bytes were not seen last time are parsed and
    checked across forked workers (`pool.parallel`): on one core, the 11,000 files of the 10,000-entry
    benchmark took 7 s, and the other core sat idle."""
    out: list[tuple[Document | None, list[Problem]] | None] = [None] * len(sources)
    todo = []
    for at, source in enumerate(sources):
        try:
            raw = read_regular(source.path)
        except OSError:
            out[at] = (None, [problem("JL110", source.rel, 1, 1, "这不是一个可以读取的普通文件（可能是符号链接）。")])
            continue
        digest = hashlib.sha256(raw).digest()
        key = (str(source.path), source.rel, source.kind)
        hit = _CHECKED.get(key)
        if hit is not None and hit[0] == digest:
            out[at] = (hit[1], list(hit[2]))
        else:
            todo.append((at, key, digest, partial(_parse, source, raw)))
    for (at, key, digest, _), (doc, found) in zip(todo, parallel([job for *_, job in todo])):
        _CHECKED[key] = (digest, doc, list(found))
        out[at] = (doc, found)
    return out


def _parse(source: Source, raw: bytes) -> tuple[Document | None, list[Problem]]:
    doc, found = read(source.path, source.rel, raw)
    if doc is not None:
        found = found + schema.check(source.kind, doc) + text.check(source.kind, doc)
    return doc, found
