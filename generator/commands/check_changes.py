"""`juli check-changes`: refuse a change that touches another organization's folder or a programme
file, for code hosts without code-owner enforcement (GitLab CE, Gitee, plain git).

Owners are read from the base revision when `--base` is given, so a pull request cannot make its
author a maintainer of the folder it changes. Whoever the author, only regular files may be added under
`catalog/` and `cases/`: a symbolic link (git mode 120000) could publish another organization's entry
or a file outside the repository as one's own, and a submodule (160000) is not data.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from ..checks import ownership
from ..checks.formats import escape_data, escape_property, printable
from . import add_root

REGULAR_MODES = {"100644", "100755"}
DATA_FOLDERS = ("catalog/", "cases/")

NAME = "check-changes"
HELP = "检查一次修改是否只涉及作者有权修改的文件（本组织文件夹；项目文件仅限项目办公室）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", metavar="FILE", help="修改过的文件（相对项目根目录）；省略时用 --base 从 git 读取")
    parser.add_argument("--author", required=True, help="提交修改的代码托管平台账号")
    parser.add_argument("--base", metavar="REV", help="比较的基准版本：读取 `git diff --name-only REV...HEAD`，并按该版本的维护人判断")
    add_root(parser)
    parser.add_argument("--format", choices=("text", "github"), default="text", help="输出格式")


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not args.files and not args.base:
        print("juli check-changes: 请给出修改过的文件，或用 --base 指定基准版本。", file=sys.stderr)
        return 2
    try:
        if args.base:
            _verify(root, args.base)
        changed = _git_changed(root, args.base) if args.base else {}
        modes = {**{_relative(root, f): _mode_on_disk(root, _relative(root, f)) for f in args.files}, **changed}
        owners = _owners_at(root, args.base) if args.base else ownership.read_owners(root)
    except ownership.GitError as exc:
        print(f"juli check-changes：{exc}", file=sys.stderr)
        return 2
    current = ownership.read_owners(root)
    odd = {rel: refusal for rel, mode in modes.items() if (refusal := not_regular(rel, mode))}
    verdicts = [odd.get(rel) or judge(rel, args.author, owners, current) for rel in sorted(modes)]
    refused = [(f, why) for f, ok, why in verdicts if not ok]
    for rel, ok, why in verdicts:
        if args.format == "github" and not ok:
            title = "不是普通文件" if rel in odd else "无权修改"
            print(f"::error file={escape_property(rel)},title={escape_property(title)}::{escape_data(why)}")
        elif args.format == "text":
            print(f"{'可以' if ok else '拒绝'} {printable(rel)}：{printable(why)}")
    if refused:
        print(f"共 {len(verdicts)} 个文件，其中 {len(refused)} 个不能由 @{args.author.lstrip('@')} 修改。"
              "请只修改本组织文件夹中的文件；其他修改请联系项目办公室。", file=sys.stderr)
        return 1
    print(f"共 {len(verdicts)} 个文件，都可以由 @{args.author.lstrip('@')} 修改。")
    return 0


def not_regular(rel: str, mode: str) -> tuple[str, bool, str] | None:
    """A refusal when the change leaves something other than a regular file under catalog/ or cases/."""
    if not rel.startswith(DATA_FOLDERS) or mode in REGULAR_MODES or mode == "000000":
        return None
    what = {"120000": "符号链接", "160000": "子模块"}.get(mode, f"特殊文件（git 模式 {mode}）")
    return rel, False, (f"这是{what}，不是普通文件：目录中只接受普通文件，符号链接可能指向其他组织的条目或仓库之外的文件。"
                        "请删除它，把内容直接写进文件后再提交。")


def judge(rel: str, author: str, owners: ownership.Owners, current: ownership.Owners) -> tuple[str, bool, str]:
    """Whether `author` may change `rel`: (path, allowed, reason in Chinese).

    `owners` are the established owners (base revision); `current` those of the proposed change,
    consulted only for an organization that does not exist yet.
    """
    office = "、".join(owners.office) or "项目办公室"
    if owners.is_office(author):
        return rel, True, "项目办公室账号可以修改任何文件。"
    org = ownership.org_of(rel)
    if org is None:
        return rel, False, f"这是项目文件（设置、词表、模板、代码或文档），只有项目办公室（{office}）可以修改。"
    if org in owners.organizations:
        maintainers = owners.organizations[org]
        if owners.maintains(author, org):
            return rel, True, f"属于本组织 `{org}`。"
        listed = "、".join(f"@{m}" for m in maintainers) or "（未登记）"
        return rel, False, f"属于组织 `{org}`（维护人：{listed}），不是你维护的组织。"
    if current.maintains(author, org):
        return rel, True, f"新组织 `{org}`：你是其 organization.yml 中登记的维护人；新组织由项目办公室审核后加入。"
    return rel, False, f"组织 `{org}` 尚未登记，或你不在其 organization.yml 的 `maintainers` 中。"


def _relative(root: Path, name: str) -> str:
    path = Path(name)
    if path.is_absolute():
        try:
            return path.resolve().relative_to(root).as_posix()
        except ValueError:
            return path.as_posix()
    return Path(name).as_posix().removeprefix("./")


def _verify(root: Path, base: str) -> None:
    """`root` is a git repository that holds `base`; else a GitError that says what to fix."""
    if shutil.which("git") is None:
        raise ownership.GitError("找不到 git 命令，请先安装 git。")
    try:
        ownership.git(root, "rev-parse", "--git-dir")
    except ownership.GitError:
        raise ownership.GitError(f"{root} 不在 git 仓库中：--base 需要在仓库的工作区中运行。") from None
    try:
        ownership.git(root, "rev-parse", "--verify", "--quiet", f"{base}^{{commit}}")
    except ownership.GitError:
        raise ownership.GitError(f"仓库中找不到基准版本 {base}：请确认版本号，并取得完整的提交历史"
                                 "（如 actions/checkout 的 fetch-depth: 0）。") from None


def _git_changed(root: Path, base: str) -> dict[str, str]:
    """Every path the change adds, modifies, deletes or renames (both names of a rename), with its git
    mode after the change ("000000" when deleted)."""
    out = ownership.git(root, "diff", "--raw", "--no-renames", "--no-abbrev", "-z", f"{base}...HEAD")
    fields = out.split("\0")
    changed = {}
    for header, path in zip(fields[0::2], fields[1::2]):
        if header.startswith(":"):
            changed[path] = header[1:].split()[1]
    return changed


def _mode_on_disk(root: Path, rel: str) -> str:
    """The git mode a file named on the command line would have: a link, a folder, or a regular file."""
    path = root / rel
    if path.is_symlink():
        return "120000"
    if not os.path.lexists(path):
        return "000000"
    if path.is_dir():
        return "040000"
    if not path.is_file():
        return "special"
    return "100755" if os.access(path, os.X_OK) else "100644"


def _owners_at(root: Path, rev: str) -> ownership.Owners:
    listing = ownership.git(root, "ls-tree", "-r", "--name-only", "-z", rev, "--", "catalog/organizations")
    orgs = sorted({p.split("/")[2] for p in listing.split("\0") if p.endswith("/organization.yml") and p.count("/") == 3})

    def data_of(rel: str):
        try:
            text = ownership.git(root, "show", f"{rev}:{rel}")
        except ownership.GitError:
            return None
        return ownership.parse_yaml_text(text, rel)

    return ownership.owners_from(data_of, orgs)
