"""The contributor guide's worked examples validate as printed, and the guide is published with the site."""

from __future__ import annotations

import re

import pytest

from projects import ROOT, copy_project
from generator.checks import validate
from generator.schemas.fields import resource_kinds

GUIDE = ROOT / "docs/contributing"
ORG = "bj-ai-industry-alliance"
BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
HEADER = re.compile(r"^# yaml-language-server: \$schema=(?P<up>(?:\.\./)+)schemas/(?P<kind>\w+)\.schema\.json$", re.M)


def examples() -> list[tuple[str, str]]:
    """(path in the project, text) of every YAML example that carries a schema header."""
    out = []
    for text in BLOCK.findall((GUIDE / "examples.md").read_text("utf-8")):
        header = HEADER.search(text)
        if not header:
            continue
        kind = header["kind"]
        ident = re.search(r"^id: (\S+)", text, re.M)
        rel = {
            "service": f"catalog/organizations/{ORG}/services/{ident and ident[1]}.yml",
            "resource": f"catalog/organizations/{ORG}/resources/{ident and ident[1]}.yml",
            "case": f"cases/{ORG}/{ident and ident[1]}.yml",
            "organization": f"catalog/organizations/{ident and ident[1]}/organization.yml",
            "figures": f"catalog/organizations/{ORG}/figures.yml",
        }[kind]
        # the header's ../ count must lead from the file's folder to the project root
        assert header["up"].count("../") == rel.count("/"), rel
        out.append((rel, text))
    return out


def test_every_kind_has_an_example():
    rels = [rel for rel, _ in examples()]
    kinds = {re.search(r"^kind: (\w+)", text, re.M)[1] for rel, text in examples() if "/resources/" in rel}
    assert kinds == set(resource_kinds())  # every kind the schema declares
    assert any("/services/" in r for r in rels) and any(r.startswith("cases/") for r in rels)
    assert any(r.endswith("organization.yml") for r in rels) and any(r.endswith("figures.yml") for r in rels)


def test_examples_validate_as_printed(tmp_path):
    root = copy_project(tmp_path / "p")
    written = []
    for rel, text in examples():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        written.append(rel)
    problems = [p for p in validate(root).problems if p.file in written]
    assert problems == []


@pytest.mark.parametrize("page", ["index.md", "examples.md", "images.md"])
def test_guide_pages_link_to_existing_pages(page):
    text = (GUIDE / page).read_text("utf-8")
    for target in re.findall(r"\]\(([^)#]+\.md)", text):
        assert (GUIDE / target).is_file() or target in ("messages.md", "../data/index.md"), target  # generated pages


@pytest.mark.slow
def test_guide_and_messages_are_published(built_site):
    site = built_site.site
    for url in ("contributing/", "contributing/examples/", "contributing/images/", "contributing/messages/"):
        assert (site / url / "index.html").is_file(), url
    messages = (site / "contributing/messages/index.html").read_text("utf-8")
    assert "JL103" in messages and "JL327" in messages
