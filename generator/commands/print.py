"""`juli print`: the printed directory as PDFs, without building the site."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build.meter import Meter, using
from ..render import Context
from ..render import print as edition
from ..load.fonts import FontError
from . import add_root, checked_catalog

NAME = "print"
HELP = "生成印刷版目录（A4 PDF）：全册（条目很多时按领域分册）与每个组织的手册"
STAGES = {"validate": "校验目录", "model": "建立模型", "layout": "编排", "typeset": "排版 PDF"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--out", type=Path, default=None, help="输出目录，默认 <root>/edition（与网站 print/ 下的文件相同）")
    parser.add_argument("--org", metavar="ID", default=None, help="只生成这个组织的手册（组织编号，如 bj-ai-industry-alliance）")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    out = (args.out or root / "edition").resolve()
    with using(Meter("juli print", STAGES)) as meter:
        catalog = checked_catalog("juli print", root, meter)
        if catalog is None:
            return 1
        if args.org is not None and args.org not in {o.id for o in catalog.organizations}:
            meter.end(failed=True)
            print(f"juli print：没有编号为 {args.org} 的组织（见 catalog/organizations/ 下的文件夹名）。", file=sys.stderr)
            return 1
        try:
            edition.require_fonts()
        except FontError as exc:
            meter.end(failed=True)
            print(f"juli print：{exc}", file=sys.stderr)
            return 1
        if args.org is None:
            volumes = edition.volumes(catalog, root)
        else:
            volumes = [edition.brochure(catalog, root, catalog.organization(args.org))]
        meter.lap("layout")
        meter.total = len(volumes)
        ctx = Context(catalog=catalog, root=root, cache=root / ".juli" / "cache")
        written = []
        for output in edition.make(ctx, volumes, tick=meter.advance):
            target = out / output.path.removeprefix(edition.FOLDER)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(output.data)
            os.replace(tmp, target)
            written.append((target, len(output.data)))
    for target, size in written:
        print(f"{target}({size / 1_000_000:.1f} MB)")
    return 0
