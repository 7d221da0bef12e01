"""`juli validate`: check every entry against its schema and the semantic rules, report all problems."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..checks import formats
from ..checks import validate
from . import add_root

NAME = "validate"
HELP = "校验目录中的全部条目（JSON Schema 与语义规则），一次报告所有问题"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                        help="只报告这些文件或文件夹中的问题（引用仍按整个目录检查）")
    add_root(parser)
    parser.add_argument("--format", choices=("text", "json", "github"), default="text", help="输出格式")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not root.is_dir():
        print(f"juli validate: 找不到目录 {args.root}", file=sys.stderr)
        return 2
    result = validate(root)
    problems = result.problems
    if args.paths:
        wanted = []
        for path in args.paths:
            absolute = path.resolve()
            if not absolute.exists():
                print(f"juli validate: 找不到 {path}", file=sys.stderr)
                return 2
            try:
                wanted.append(absolute.relative_to(root).as_posix())
            except ValueError:
                print(f"juli validate: {path} 不在 {root} 之内", file=sys.stderr)
                return 2
        problems = [p for p in problems if any(p.file == w or p.file.startswith(w.rstrip("/") + "/") or w == "." for w in wanted)]
    checked = len(result.documents)
    if args.format == "json":
        print(formats.as_json(problems))
    elif args.format == "github":
        if problems:
            print(formats.as_github(problems))
    else:
        print(formats.as_text(problems, checked))
    return 1 if any(p.level.value == "error" for p in problems) else 0
