"""`juli share`: one item's share kit (Weibo text and file paths), or what is new since a date."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from ..build.meter import Meter, using
from ..render import Context
from ..load.fonts import FontError
from ..render.news import everything, since
from ..render import weibo
from ..render.share import FILES, Kits
from . import add_root, checked_catalog, iso_date

NAME = "share"
STAGES = {"validate": "校验目录", "model": "建立模型", "find": "查找条目", "kit": "生成素材"}
HELP = "打印某条目的微博文案与分享素材路径；或用 --since 列出某日以来新发布或更新的条目"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", nargs="?", metavar="ID",
                        help="条目编号，即 share/ 下的文件夹名，如 bj-ai-industry-alliance.ai-going-global")
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD",
                        help="列出该日期（含）以来新发布或更新的条目，通常填上一轮转发的日期")
    add_root(parser)
    parser.add_argument("--site", type=Path, default=None, help="已生成的网站目录，默认 <root>/site")


def run(args: argparse.Namespace) -> int:
    if (args.id is None) == (args.since is None):
        print("juli share: 请给出一个条目编号，或使用 --since YYYY-MM-DD（二者选一）。", file=sys.stderr)
        return 2
    root = args.root.resolve()
    with using(Meter("juli share", STAGES)) as meter:
        catalog = checked_catalog("juli share", root, meter)
        if catalog is None:
            return 1
        site = (args.site or root / "site").resolve()
        ctx = Context(catalog=catalog, root=root, cache=root / ".juli" / "cache")
        if args.since is not None:
            found = since(catalog, args.since)
            meter.advance(len(found))
            meter.end()
            return _list(found, args.since, site)
        news = {n.id: n for n in everything(catalog)}.get(args.id)
        meter.lap("find")
        try:
            kit = Kits(ctx).kit(news) if news is not None else None
        except FontError as exc:
            meter.end(failed=True)
            print(f"juli share: {exc}", file=sys.stderr)
            return 1
    return _one(ctx, args.id, news, kit, site)


def _list(found: list, day: date, site: Path) -> int:
    if not found:
        print(f"{day.isoformat()} 以来没有新发布或更新的条目。")
        return 0
    print(f"{day.isoformat()} 以来新发布或更新的条目共 {len(found)} 条（最新在前）：")
    for n in found:
        status = "新发布" if n.published >= day else "更新"
        kit = site / n.share_dir
        where = kit if (kit / "weibo.txt").is_file() else "（不在订阅窗口内，可用 juli share ID 生成素材）"
        print(f"{n.updated.isoformat()}  {status}  {n.kind_label}  {n.id}\n    {n.title}\n    {where}")
    return 0


def _one(ctx: Context, item_id: str, news, kit, site: Path) -> int:
    if news is None:
        print(f"juli share: 没有编号为 {item_id} 的条目（编号形如 组织编号。条目编号，案例为 组织编号.case.案例编号）。", file=sys.stderr)
        return 1
    built = site / news.share_dir
    if all((built / name).is_file() for name in FILES):
        folder = built
        weibo_text = (built / "weibo.txt").read_text(encoding="utf-8").rstrip("\n")
    else:
        folder = ctx.root / ".juli" / news.share_dir
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in kit.files().items():
            (folder / name).write_bytes(data)
        weibo_text = kit.short.text
        print(f"网站中没有该条目的素材（未构建，或不在订阅窗口内），已生成到 {folder}", file=sys.stderr)
    print(weibo_text)
    print(f"\n（微博计 {weibo.length(weibo_text)} / {weibo.SHORT_LIMIT} 字；长微博计 {kit.long.length} / {weibo.LONG_LIMIT} 字）")
    print(f"公众号标题：{kit.article.title}\n公众号摘要：{kit.article.digest}\n阅读原文：{news.link}")
    for warning in kit.article.warnings:
        print(f"注意：{warning}")
    print("\n素材文件：")
    for name in FILES:
        print(f"  {folder / name}")
    return 0
