"""The check stage: every file through its JSON Schema, then semantic rules over the whole catalog."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..load import Document, Source, discover, read
from ..problems import Problem, has_errors
from . import schema, semantic


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
    root = root.resolve()
    sources, problems = discover(root)
    result = Validation(root)
    for source in sources:
        doc, found = read(source.path, source.rel)
        problems += found
        if doc is not None:
            problems += schema.check(source.kind, doc)
            result.documents.append((source, doc))
    problems += semantic.check([semantic.Parsed(s, d) for s, d in result.documents], sources)
    result.problems = sorted(set(problems))
    return result
