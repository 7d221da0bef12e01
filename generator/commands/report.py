"""`juli report stale`: entries and cases not reviewed within `freshness.review_months`, and entries
past their `valid_until`, per organization, so the programme office can chase them."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from ..model import freshness
from .. import model
from ..checks import validate
from ..model import Case, Catalog
from . import add_root, iso_date

NAME = "report"
HELP = "维护报告：stale 列出超过复核周期未更新或已过有效期的条目（按组织）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("which", choices=("stale",), help="报告类型")
    add_root(parser)
    parser.add_argument("--today", type=iso_date, default=None,
                        help="按这一天计算（YYYY-MM-DD）；默认取目录中最新的日期")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="输出格式")


def stale(catalog: Catalog, today: date | None = None) -> list[dict]:
    """Per organization (sorted by id), the items that need attention and why."""
    today = today or freshness.as_of(catalog)
    by_org: dict[str, list[dict]] = {}
    for item in [*catalog.entries, *catalog.cases]:
        reasons = []
        if freshness.needs_review(item, catalog, today):
            reasons.append("review")
        if not isinstance(item, Case) and freshness.expired(item, catalog, today):
            reasons.append("expired")
        if reasons:
            by_org.setdefault(item.org, []).append({
                "uid": item.uid, "kind": item.kind, "title": item.title, "file": item.source,
                "updated": (item.last_changed if isinstance(item, Case) else item.updated).isoformat(),
                "valid_until": None if isinstance(item, Case) or item.valid_until is None else item.valid_until.isoformat(),
                "reasons": reasons,
            })
    out = []
    for org_id in sorted(by_org):
        org = catalog.organization(org_id)
        out.append({"id": org.id, "name": org.name, "maintainers": list(org.maintainers),
                    "items": sorted(by_org[org_id], key=lambda i: (i["updated"], i["uid"]))})
    return out


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "catalog").is_dir():
        print(f"juli report: {args.root} 中没有 catalog/ 文件夹", file=sys.stderr)
        return 2
    validation = validate(root)
    if not validation.ok:
        print("目录中有错误，无法生成报告：请先运行 `juli validate` 并修正。", file=sys.stderr)
        return 1
    catalog = model.build(validation)
    today = args.today or freshness.as_of(catalog)
    orgs = stale(catalog, today)
    months = catalog.programme.review_months
    if args.format == "json":
        print(json.dumps({"today": today.isoformat(), "review_months": months, "organizations": orgs},
                         ensure_ascii=False, indent=2))
        return 0
    origin = "(--today)" if args.today else "（目录中最新的日期）"
    print(f"截至 {today.isoformat()}{origin}，复核周期 {months} 个月。")
    if not orgs:
        print("没有需要复核或已过期的条目。")
        return 0
    words = {"review": f"超过 {months} 个月未更新", "expired": "已过有效期"}
    for org in orgs:
        handles = " ".join(f"@{m}" for m in org["maintainers"])
        print(f"\n{org['name']}（{org['id']}，维护人 {handles}）：{len(org['items'])} 项")
        for item in org["items"]:
            why = "、".join(words[r] for r in item["reasons"])
            until = f"，有效期至 {item['valid_until']}" if item["valid_until"] else ""
            print(f"  - {item['title']}  [{why}] 最近更新 {item['updated']}{until}  {item['file']}")
    total = sum(len(o["items"]) for o in orgs)
    print(f"\n共 {len(orgs)} 个组织、{total} 项需要处理：请维护人核对内容，修改后更新 `updated` 日期。")
    return 0
