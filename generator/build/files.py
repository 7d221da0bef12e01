"""Publishing files: hard-linked copies of trees and atomic folder swaps, for the build stage (the staged
site) and the postprocessors (the search index's folder inside it); and the output folder's safety.

juli deletes or replaces only folders it made. Every site it publishes carries a marker file (`MARK`) at
its top, and so do the holder folders of an unfinished swap (`.<out>-new-*` with the staged site,
`.<out>-old-*` with the replaced one). `check_output` refuses an output folder that is, contains or lies
inside the project's sources, or that exists, is not empty and has no marker. `output_lock` lets one
build at a time write an output folder and clears the holders an interrupted build left behind.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator

from ..errors import JuliError, describe_os_error

MARK = ".juli-output"
MARK_TEXT = b"This folder was made by juli; the next build replaces it. Do not keep other files here.\n"
# Folders of a project that juli reads or that hold its history and tools: never an output folder.
SOURCES = ("catalog", "cases", "docs", "overrides", "generator", "schemas", "tools", "tests", "bench",
           ".git", ".github", ".gitea", ".forgejo", ".gitlab", ".juli", ".venv", "node_modules")
LOCK_WAIT = 600.0  # seconds a build waits for another one writing the same output folder


class OutputError(JuliError):
    """An output folder juli must not (or cannot) write."""


def files_under(tree: Path) -> list[str]:
    """Every file below `tree`, as sorted POSIX paths relative to it."""
    base = str(tree)
    out = []
    for folder, _, names in os.walk(tree):
        rel = os.path.relpath(folder, base).replace(os.sep, "/")
        out += [name if rel == "." else f"{rel}/{name}" for name in names]
    return sorted(out)


def link_tree(source: Path, files: list[str], target: Path) -> None:
    """Hard-link (or copy, across file systems) `files` of `source` to the same paths under `target`."""
    made: set[Path] = set()
    for rel in files:
        dest = target / rel
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        if os.path.lexists(dest):
            dest.unlink()
        try:
            os.link(source / rel, dest)
        except OSError:
            shutil.copy2(source / rel, dest)


def publish(site: Path, folders: dict[str, dict[str, Path]]) -> None:
    """Put a postprocessor's finished folders into `site`: each site folder is assembled in a fresh hidden
    folder of `site` (hard links to the finished folders, at their paths inside it) and swapped in, so a
    reader of a published site meets the old folder or the new one, never half (`Job.folders`)."""
    for name, parts in folders.items():
        fresh = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=site))
        try:
            for inside, source in parts.items():
                link_tree(source, files_under(source), fresh / inside)
            swap(fresh, site / name, background=True)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise


def check_output(root: Path, out: Path) -> None:
    """Refuse an output folder that is, contains or lies inside the sources of the project at `root`, or
    an existing non-empty folder juli did not make; make its parent folder. Both paths are resolved."""
    fix = "请用 --out 指定一个新的文件夹（如项目中的 site/），或 juli 以前生成的网站文件夹。"
    if out == root or out in root.parents:
        raise OutputError(f"输出文件夹 {out} 是项目本身或包含项目 {root}：生成网站时会替换整个文件夹，源文件会丢失。{fix}")
    for name in SOURCES:
        source = root / name
        if out == source or source in out.parents:
            raise OutputError(f"输出文件夹 {out} 位于项目的源文件夹 {name}/ 之内：生成网站时会替换它。{fix}")
    if os.path.lexists(out):
        if out.is_symlink() or not out.is_dir():
            raise OutputError(f"{out} 已经存在，但不是文件夹。{fix}")
        if not (out / MARK).is_file() and any(out.iterdir()):
            raise OutputError(f"文件夹 {out} 不是空的，也不是 juli 生成的（里面没有标记文件 {MARK}）：juli 只替换自己生成的文件夹。"
                              f"{fix}如果它确实是旧版 juli 生成的网站，请先删除它。")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"无法创建输出文件夹 {out}：路径中有一段是文件，不是文件夹。{fix}") from None
    except OSError as exc:
        raise OutputError(f"无法创建输出文件夹 {out}：{describe_os_error(exc)}") from None
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise OutputError(f"不能在文件夹 {out.parent} 中写入（没有写权限或是只读的）。请检查权限，或用 --out 换一个输出文件夹。")


@contextmanager
def output_lock(out: Path, work: Path | None = None, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of `out` (a file `.<out>.lock` next to it) and of the work folder `work`, waiting
    up to `wait` seconds for another juli process that holds them, then clear the holders of swaps an
    interrupted build left behind."""
    with ExitStack() as stack:
        if work is not None:
            try:
                work.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise OutputError(f"无法创建 juli 的工作文件夹 {work}：{describe_os_error(exc)}") from None
            stack.enter_context(_locked(work / ".lock", work, wait))
        stack.enter_context(_locked(out.parent / f".{out.name}.lock", out, wait))
        sweep(out)
        yield


@contextmanager
def _locked(path: Path, what: Path, wait: float) -> Iterator[None]:
    try:
        handle = open(path, "a+b")
    except OSError as exc:
        raise OutputError(f"无法创建锁文件：{describe_os_error(exc)}") from None
    with handle:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputError(f"另一个 juli 进程正在写入 {what}，等了 {wait:g} 秒仍未结束。"
                                      "请等它完成（或停止它）后重试。") from None
                if not told:
                    print(f"另一个 juli 进程正在写入 {what}，等它完成后继续……", file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sweep(out: Path) -> list[Path]:
    """Delete the holders of unfinished swaps of `out` (`.<out>-new-*`, `.<out>-old-*`) that carry the
    marker; anything else with such a name is left alone. Returns what was deleted."""
    gone = []
    for holder in sorted([*out.parent.glob(f".{out.name}-new-*"), *out.parent.glob(f".{out.name}-old-*")]):
        if holder.is_dir() and not holder.is_symlink() and (holder / MARK).is_file() \
                and set(os.listdir(holder)) <= {MARK, out.name}:  # not the holder of an output named `<out>-new`
            shutil.rmtree(holder, ignore_errors=True)
            gone.append(holder)
    return gone


def staging_for(out: Path) -> Path:
    """A new, empty folder to stage the next `out` in: `<holder>/<out.name>`, its marked holder beside `out`."""
    staging = _holder(out, "new") / out.name
    staging.mkdir()
    return staging


def discard(staging: Path) -> None:
    """Delete a staged folder made by `staging_for` and its holder."""
    shutil.rmtree(staging.parent if _is_holder(staging.parent) else staging, ignore_errors=True)


def swap(staging: Path, out: Path, background: bool = False, mark: bool = False) -> None:
    """Replace the folder `out` with `staging` by two renames, so readers see the old or the new one,
    never half. The old one is moved into a marked holder and deleted afterwards, in a thread when
    `background` (a preview answers meanwhile). `mark` writes the marker into the new `out` first."""
    if mark:
        (staging / MARK).write_bytes(MARK_TEXT)
    staging.chmod(0o755)
    old = None
    if os.path.lexists(out):
        old = _holder(out, "old")
        os.rename(out, old / out.name)
    os.rename(staging, out)
    if _is_holder(staging.parent):
        shutil.rmtree(staging.parent, ignore_errors=True)
    if old:
        if background:
            threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}).start()
        else:
            shutil.rmtree(old, ignore_errors=True)


def _holder(out: Path, which: str) -> Path:
    holder = Path(tempfile.mkdtemp(prefix=f".{out.name}-{which}-", dir=out.parent))
    (holder / MARK).write_bytes(MARK_TEXT)
    return holder


def _is_holder(folder: Path) -> bool:
    return folder.name.startswith(".") and "-new-" in folder.name and (folder / MARK).is_file()
