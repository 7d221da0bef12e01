"""`juli owners`: write .github/CODEOWNERS from each organization's maintainers and the office's handles;
`--check` fails when the committed file is out of date.

With `--base REV` (a pull request's check) the file may also be exactly as it was at REV: a contributor
who adds an organization or changes their maintainers cannot edit CODEOWNERS (only the office may), and
the office's workflow (.github/workflows/owners.yml) regenerates it after the merge. Who may change what
is meanwhile enforced by `juli check-changes`, from the base revision's maintainers."""

from __future__ import annotations

import argparse
import sys

from ..checks import ownership
from . import add_root

NAME = "owners"
HELP = "根据各组织的 maintainers 和项目办公室账号生成 .github/CODEOWNERS（--check 只检查是否最新）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--check", action="store_true", help="不写文件；CODEOWNERS 与目录不一致时返回 1")
    parser.add_argument("--base", metavar="REV", help="与 --check 同用：CODEOWNERS 与基准版本相同时也通过（合并后由办公室的工作流重新生成）")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "catalog").is_dir():
        print(f"juli owners: {args.root} 中没有 catalog/ 文件夹", file=sys.stderr)
        return 2
    owners = ownership.read_owners(root)
    if not owners.office:
        print("juli owners: catalog/programme.yml 中缺少 `office: {handles: [...]}`（项目办公室账号）。", file=sys.stderr)
        return 1
    text = ownership.codeowners(owners)
    target = root / ownership.CODEOWNERS
    current = target.read_text("utf-8") if target.is_file() else None
    if args.check:
        if current != text and args.base and current == _at(root, args.base):
            print(f"{ownership.CODEOWNERS} 与基准版本 {args.base} 相同；新组织或维护人的变化合并后由项目办公室的工作流写入。")
            return 0
        if current != text:
            print(f"{ownership.CODEOWNERS} 与各组织的维护人不一致：请运行 `juli owners` 并提交结果。", file=sys.stderr)
            return 1
        print(f"{ownership.CODEOWNERS} 是最新的（{len(owners.organizations)} 个组织）。")
        return 0
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
    print(f"已写入 {ownership.CODEOWNERS}（{len(owners.organizations)} 个组织）。")
    return 0


def _at(root, rev: str) -> str | None:
    try:
        return ownership.git(root, "show", f"{rev}:{ownership.CODEOWNERS}")
    except ownership.GitError:
        return None
