"""One module per `juli` subcommand."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=Path, default=Path("."),
                        help="项目根目录(包含 catalog/ 与 cases/),默认当前目录")
