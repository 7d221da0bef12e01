"""`juli edit`: the content editor on this computer. Starts Decap CMS's local backend (`decap-server`
from the pinned npm package, bound to 127.0.0.1) on the working tree, together with the live preview
(`juli serve`), so the office, trainers and tests edit the files in place and see the pages rebuilt.

Nothing is committed: the editor writes the YAML and image files into catalog/ and cases/, and
`git status` shows them, ready for one pull request.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from ..render import editor_config as editor
from . import add_root, serve

NAME = "edit"
HELP = "在本机打开内容编辑器（/admin/）：编辑器直接修改工作目录中的文件，预览随之更新"
SERVER = Path("node_modules/decap-server/dist/index.js")
START_TIMEOUT = 20.0  # seconds for decap-server to answer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_root(parser)
    parser.add_argument("--out", type=Path, default=None, help="预览网站的输出目录，默认 <root>/site")
    parser.add_argument("--port", type=int, default=8000, help="预览端口，默认 8000")
    parser.add_argument("--backend-port", type=int, default=editor.LOCAL_PORT,
                        help=f"编辑器本地后端（decap-server）的端口，默认 {editor.LOCAL_PORT}")


def _server_script(root: Path) -> Path | None:
    """decap-server from the checkout's node_modules, else from the juli source tree's."""
    for base in (root, Path(__file__).resolve().parents[2]):
        if (base / SERVER).is_file():
            return base / SERVER
    return None


def _wait(port: int, process: subprocess.Popen) -> bool:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def _stop(signum, frame):
    raise SystemExit(128 + signum)


def run(args: argparse.Namespace) -> int:
    root = args.root.resolve()
    if not (root / "catalog").is_dir():
        print(f"{root} 中没有 catalog/ 文件夹：请在项目根目录运行，或用 --root 指明。", file=sys.stderr)
        return 2
    node, script = shutil.which("node"), _server_script(root)
    if not node or not script:
        print("找不到编辑器的本地后端 decap-server：请先安装 Node.js，并在项目根目录运行 `npm ci`。", file=sys.stderr)
        return 2
    for port, option in ((args.backend_port, "--backend-port"), (args.port, "--port")):
        problem = serve.port_problem(port, option) if port else None
        if problem:
            print(problem, file=sys.stderr)
            return 2
    env = {**os.environ, "PORT": str(args.backend_port), "BIND_HOST": "127.0.0.1", "MODE": "fs",
           "GIT_REPO_DIRECTORY": str(root), "LOG_LEVEL": "warn"}
    backend = subprocess.Popen([node, str(script)], cwd=root, env=env, stdin=subprocess.DEVNULL)
    signal.signal(signal.SIGTERM, _stop)  # a terminated `juli edit` still stops its decap-server
    try:
        if not _wait(args.backend_port, backend):
            print(f"编辑器的本地后端未能启动（端口 {args.backend_port}）：请查看上面的输出。", file=sys.stderr)
            return 2

        def announce(port: int) -> None:
            query = "" if args.backend_port == editor.LOCAL_PORT else f"?backend={args.backend_port}"
            print(f"编辑器地址：http://127.0.0.1:{port}/admin/{query}（保存即写入 {root} 中的文件）", flush=True)

        return serve.run(args, announce=announce)
    finally:
        backend.terminate()
        try:
            backend.wait(timeout=5)
        except subprocess.TimeoutExpired:
            backend.kill()
            backend.wait()
