"""`juli serve`: build the site, serve it on 127.0.0.1 and rebuild when an input changes.

Rebuilds go through the same atomic build as `juli build`, so a reader never gets a half-built site:
the server keeps answering from the previous `site/` until the new one is swapped in, and a build with
errors leaves it as it was. File events are debounced so saving several files rebuilds once.

Rebuilds take the fast path. An edit to existing services, resources or cases is first published on
their own pages in place (`generator.build.quick`: 1.3 s from saving at 10,000 entries); then the build
regenerates only what changed (the build's caches) and swaps the whole site in with the previous search
index, and the search index is rebuilt afterwards and swapped in again, unless another change is
already waiting.
"""

from __future__ import annotations

import argparse
import functools
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..checks import formats
from ..build import BuildError, build
from ..checks import Validation
from ..build.files import check_output, output_lock
from ..build.quick import publish
from ..errors import JuliError, describe_os_error, report_bug
from . import add_root, port

NAME = "serve"
HELP = "生成网站并在本机预览，目录或页面文件改动后自动重新生成"
WATCHED = ("catalog", "cases", "docs", "overrides", "mkdocs.yml")
DEBOUNCE = 0.5  # seconds of quiet before a rebuild


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--out", type=Path, default=None, help="输出目录，默认 <root>/site")
    parser.add_argument("--port", type=port, default=8000, help="端口，默认 8000（0 表示任选空闲端口）")


def quick(root: Path, out: Path, previous: Validation, changed: list[Path]) -> list[str]:
    """The quick step (see the module docstring); a failure only means the full build does the work."""
    started = time.perf_counter()
    try:
        with output_lock(out, root / ".juli"):
            published = publish(root, out, previous, changed)
    except Exception as exc:  # noqa: BLE001 - the full build that follows reports real problems
        print(f"快速预览未完成（{exc!r}），等待完整生成。", file=sys.stderr, flush=True)
        return []
    if published:
        print(f"已更新 {len(published)} 个页面（{time.perf_counter() - started:.1f} 秒），正在生成其余部分……", flush=True)
    return published


def rebuild(root: Path, out: Path | None, fast: bool = False):
    """One build; problems are printed and the previous site stays in place. Returns the result, or None
    when the build failed. `fast` leaves the search index to `result.pending()`."""
    started = time.perf_counter()
    try:
        result = build(root, out, search_later=fast)
    except BuildError as exc:
        print(formats.as_text(exc.problems, exc.checked), file=sys.stderr)
        print("构建失败：目录中有错误，继续提供上一次生成的网站。", file=sys.stderr, flush=True)
        return None
    except JuliError as exc:
        print(f"构建失败：{exc}", file=sys.stderr, flush=True)
        return None
    except OSError as exc:
        print(f"构建失败：{describe_os_error(exc)}", file=sys.stderr, flush=True)
        return None
    except Exception as exc:  # noqa: BLE001 - a broken template or page must not stop the preview
        report_bug(exc)
        print("构建失败，继续提供上一次生成的网站。", file=sys.stderr, flush=True)
        return None
    print(f"已重新生成 {result.site}（{time.perf_counter() - started:.1f} 秒）", flush=True)
    return result


class Rebuilder:
    """Collects file events and runs one rebuild after `DEBOUNCE` seconds without new events."""

    def __init__(self, root: Path, out: Path | None, debounce: float = DEBOUNCE):
        self.root, self.out, self.debounce = root.resolve(), out, debounce
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._building = threading.Lock()
        self._changed: set[Path] = set()
        self.previous: Validation | None = None  # the last successful build's, for the quick step
        self.builds = 0

    def changed(self, path: str, folder: bool = False) -> None:
        """Note a change; only inputs count (the build's own staging folders appear next to them). A
        folder's event accompanies its files' events: it triggers a build but names no edited file."""
        try:
            first = Path(path).resolve().relative_to(self.root).parts[0]
        except (ValueError, IndexError):
            return
        if first not in WATCHED or path.endswith((".tmp", "~", ".swp")):
            return
        with self._lock:
            if not folder:
                self._changed.add(Path(path).resolve())
            if self._timer:
                self._timer.cancel()
            self._timer = threading.Timer(self.debounce, self._run)
            self._timer.daemon = True
            self._timer.start()

    def _run(self) -> None:
        try:
            self._rebuild()
        except Exception as exc:  # noqa: BLE001 - the watcher thread must keep the preview alive
            report_bug(exc)

    def _rebuild(self) -> None:
        with self._building:
            with self._lock:
                changed, self._changed = sorted(self._changed), set()
            if self.previous is not None and changed:
                quick(self.root, self.out or self.root / "site", self.previous, changed)
            result = rebuild(self.root, self.out, fast=True)
            if result:
                self.previous = result.validation
            self.builds += 1
            with self._lock:
                waiting = self._timer is not threading.current_thread()  # a newer change is queued
            if result is not None and result.pending is not None and not waiting:
                try:
                    result.pending()
                except Exception as exc:  # the pages are published; only the search index is behind
                    print(f"搜索索引更新失败：{exc!r}", file=sys.stderr, flush=True)

    def stop(self) -> None:
        with self._lock:
            if self._timer:
                self._timer.cancel()


def watch(root: Path, rebuilder: Rebuilder):
    """Start a watchdog observer on the inputs; returns it (call `.stop()`)."""
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class Handler(FileSystemEventHandler):
        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write"):
                return
            rebuilder.changed(str(getattr(event, "dest_path", "") or event.src_path), event.is_directory)

    observer = Observer()
    handler = Handler()
    for name in WATCHED:
        path = root / name
        if path.is_dir():
            observer.schedule(handler, str(path), recursive=True)
        elif path.is_file():
            observer.schedule(handler, str(root), recursive=False)
    observer.start()
    return observer


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass


def port_problem(port: int, option: str = "--port") -> str | None:
    """Why 127.0.0.1:`port` cannot be served (in Chinese, with the fix), or None when it is free."""
    import socket

    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return f"端口 {port} 已被占用：关闭占用它的程序（如另一个 juli serve），或用 {option} 换一个端口。"
    return None


def run(args: argparse.Namespace, announce=None) -> int:
    """`announce(port)` (used by `juli edit`) prints more once the preview answers."""
    root = args.root.resolve()
    out = (args.out or root / "site").resolve()
    check_output(root, out)
    # The port first: a busy one is said at once, not after a whole build.
    # The handler resolves `out` by path on every request, so it follows each atomic swap.
    try:
        server = ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(_Handler, directory=str(out)))
    except OSError as exc:
        raise JuliError(f"无法在 127.0.0.1:{args.port} 上提供预览：{describe_os_error(exc)}") from None
    first = rebuild(root, out)
    if first is None and not out.is_dir():
        server.server_close()
        return 1
    rebuilder = Rebuilder(root, out)
    rebuilder.previous = first.validation if first else None
    observer = watch(root, rebuilder)
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/（按 Ctrl+C 停止）", flush=True)
    if announce:
        announce(server.server_address[1])
    try:
        server.serve_forever()
    finally:
        observer.stop()
        rebuilder.stop()
        server.server_close()
    return 0
