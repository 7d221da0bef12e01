"""Search quality: a query set whose relevant items are decided from the catalog's YAML files, run through
the site's own search in Chromium, scored as recall@10 and MRR.

The query set (tests/search_queries.yml) says, for each query, which items a reader means by a rule over
the YAML as contributed — never over the search index or its code:

- `has: 免费` — the item's YAML has this exact value (a taxonomy term, a tag) anywhere;
- `contains: 检测` — some text value of the YAML contains it;
- `kind: case` — the item's kind (a service, a resource's `kind`, case, organization);
- `org: bj-ai-industry-alliance` — the organization itself and every entry and case of it;
- `org_name: 检验检测` — items of an organization whose name or short name contains it (an item's
  page shows its organization, so a reader who types part of that name means its items too);
- `all: [rule, …]` / `any: [rule, …]` — every one / at least one of the rules.
A query whose relevant set is empty must find nothing ("nothing unrelated"): such queries are counted
apart. recall@10 is |relevant ∩ first 10| / min(10, |relevant|); MRR the mean of 1/rank of the first
relevant result within the first 10 (0 when none is).

Used by tests/browser/test_search.py (asserting the targets) and bench/run.py (reporting the figures).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import yaml

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "search_queries.yml"
HELD_OUT = Path(__file__).resolve().parent / "search_heldout.yml"  # never used to tune the search
CUTOFF = 10


@dataclass(frozen=True)
class Item:
    url: str  # the page's site path, as search results give it (with a leading slash)
    kind: str
    org: tuple[str, ...]
    data: dict
    org_names: tuple[str, ...] = ()  # the names and short names of its organizations


def items(root: Path, site: Path | None = None) -> list[Item]:
    """Every entry, case and organization of the catalog at `root` (those with a page in `site`, if given)."""
    found = []
    for path in sorted((root / "catalog" / "organizations").glob("*/organization.yml")):
        found.append(Item(f"/organizations/{path.parent.name}/", "organization", (path.parent.name,), _load(path)))
    for path in sorted((root / "catalog" / "organizations").glob("*/*/*.yml")):
        data = _load(path)
        if path.parent.name in ("services", "resources") and isinstance(data, dict):
            org = path.parents[1].name
            kind = "service" if path.parent.name == "services" else str(data.get("kind"))
            found.append(Item(f"/directory/{org}/{data.get('id')}/", kind, (org,), data))
    for path in sorted((root / "cases").glob("*/*.yml")):
        data = _load(path)
        if isinstance(data, dict):
            orgs = tuple(data.get("organizations") or (path.parent.name,))
            found.append(Item(f"/cases/{path.parent.name}/{data.get('id')}/", "case", orgs, data))
    names = {i.org[0]: (str(i.data.get("name", "")), str(i.data.get("short_name", ""))) for i in found
             if i.kind == "organization"}
    found = [replace(i, org_names=tuple(n for o in i.org for n in names.get(o, ()))) for i in found]
    if site is not None:
        found = [i for i in found if (site / i.url.strip("/") / "index.html").is_file()]
    return found


def _load(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _scalars(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _scalars(v)
    elif isinstance(value, list):
        for v in value:
            yield from _scalars(v)
    elif value is not None:
        yield str(value)


def matches(rule: dict, item: Item) -> bool:
    (name, arg), = rule.items()
    if name == "has":
        return any(s == arg for s in _scalars(item.data))
    if name == "contains":
        return any(arg in s for s in _scalars(item.data))
    if name == "kind":
        return item.kind == arg
    if name == "org":
        return arg in item.org
    if name == "org_name":
        return any(arg in n for n in item.org_names)
    if name == "all":
        return all(matches(r, item) for r in arg)
    if name == "any":
        return any(matches(r, item) for r in arg)
    raise ValueError(f"unknown relevance rule {name!r}")


def queries(path: Path = QUERIES) -> list[dict]:
    return _load(path)


def relevant(query: dict, catalog: list[Item]) -> set[str]:
    return {i.url for i in catalog if matches(query["relevant"], i)}


def run(page, texts: list[str]) -> dict[str, dict]:
    """Each query through the search page's own code (window.juliSearch.ranked: the reading of the query,
    the merged variants, the second pass): its first CUTOFF results and how many were found."""
    return page.evaluate(
        """async ([qs, n]) => {
            const out = {};
            for (const q of qs) out[q] = await window.juliSearch.ranked(q, n);
            return out;
        }""", [texts, CUTOFF])


def score(query_set: list[dict], catalog: list[Item], answers: dict[str, dict]) -> dict:
    """recall@10 and MRR over the queries with relevant items, and the empty queries' stray results."""
    rows, recalls, ranks, strays = [], [], [], {}
    for query in query_set:
        wanted = relevant(query, catalog)
        got = [r["url"] for r in answers[query["q"]]["results"]][:CUTOFF]
        if not wanted:
            if answers[query["q"]]["count"]:
                strays[query["q"]] = got
            continue
        hits = [u for u in got if u in wanted]
        recall = len(hits) / min(CUTOFF, len(wanted))
        first = next((n for n, u in enumerate(got, 1) if u in wanted), None)
        recalls.append(recall)
        ranks.append(1 / first if first else 0.0)
        rows.append({"q": query["q"], "type": query.get("type", ""), "relevant": len(wanted), "found": answers[query["q"]]["count"],
                     "recall": round(recall, 3), "first_relevant": first, "corrected": answers[query["q"]].get("corrected")})
    by_type: dict[str, list[float]] = {}
    for row in rows:
        by_type.setdefault(row["type"], []).append(row["recall"])
    return {"queries": len(query_set), "scored": len(rows), "recall_at_10": round(sum(recalls) / len(recalls), 4),
            "mrr": round(sum(ranks) / len(ranks), 4), "empty_queries": len(query_set) - len(rows),
            "empty_with_results": strays,
            "recall_by_type": {t: round(sum(v) / len(v), 3) for t, v in sorted(by_type.items())},
            "misses": [r for r in rows if r["recall"] < 1 or r["first_relevant"] != 1]}
