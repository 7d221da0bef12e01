"""`juli schemas`: write the editor schemas (vocabularies as enums) to `schemas/` at the project root;
`--check` fails when that folder is out of date with the schemas or the taxonomy."""

from __future__ import annotations

import argparse
import sys

from ..render import editor_schemas
from . import add_root

NAME = "schemas"
HELP = "生成编辑器使用的 JSON Schema（含词表选项）到 schemas/ 文件夹（--check 只检查是否最新）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--check", action="store_true", help="不写文件；schemas/ 与词表不一致时返回 1")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "catalog/taxonomy.yml").is_file():
        print(f"juli schemas: 找不到 {args.root}/catalog/taxonomy.yml", file=sys.stderr)
        return 2
    wanted = editor_schemas.from_root(root)
    folder = root / editor_schemas.FOLDER
    present = {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.is_dir() else {}
    stale = sorted(name for name in wanted.keys() | present.keys() if wanted.get(name) != present.get(name))
    if args.check:
        if stale:
            print(f"{editor_schemas.FOLDER}/ 与格式或词表不一致（{'、'.join(stale)}）："
                  "请运行 `juli schemas` 并提交结果。", file=sys.stderr)
            return 1
        print(f"{editor_schemas.FOLDER}/ 是最新的（{len(wanted)} 个文件）。")
        return 0
    folder.mkdir(exist_ok=True)
    for name in stale:
        if name in wanted:
            (folder / name).write_bytes(wanted[name])
        else:
            (folder / name).unlink()
    print(f"已更新 {editor_schemas.FOLDER}/ 中的 {len(stale)} 个文件（共 {len(wanted)} 个）。")
    return 0
