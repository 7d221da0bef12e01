"""`juli build`: validate the catalog and build the whole static site, atomically."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..checks import formats
from ..build import BuildError, build
from ..build.meter import Meter, using
from ..build.sitebuilder import BUILDERS
from . import add_root

NAME = "build"
STAGES = {"validate": "校验目录", "model": "建立模型", "render": "渲染文件", "write": "写入文件", "html": "生成网页",
          "extra": "加入附加文件", "postprocess": "建立搜索索引", "swap": "替换网站"}
HELP = "校验目录并生成整个静态网站（失败时保留原有网站）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--out", type=Path, default=None, help="输出目录，默认 <root>/site")
    parser.add_argument("--builder", choices=BUILDERS, default="mkdocs",
                        help="生成 HTML 的工具：mkdocs（默认，mkdocs-material）或 zensical（Material 团队的后继工具）")


def run(args: argparse.Namespace) -> int:
    try:
        with using(Meter("juli build", STAGES)):
            result = build(args.root, args.out, builder=args.builder)
    except BuildError as exc:
        print(formats.as_text(exc.problems, exc.checked), file=sys.stderr)
        print("构建失败：目录中有错误，原有网站未改动。", file=sys.stderr)
        return 1
    for warning in result.html.warnings if result.html else ():
        print(f"警告：{warning}", file=sys.stderr)
    stages = ",".join(f"{k} {v:.2f}s" for k, v in result.timings.items())
    print(f"已生成 {result.site}（{stages}；写入 {result.written} 个文件）")
    return 0
