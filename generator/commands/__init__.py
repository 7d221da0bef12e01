"""One module per `juli` subcommand, and the argument types they share (with Chinese messages)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path


def folder(value: str) -> Path:
    """An existing folder (`--root`)."""
    path = Path(value)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"找不到文件夹 {value}（应为项目根目录，其中有 catalog/ 与 cases/）")
    return path


def iso_date(value: str) -> date:
    """A date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} 不是有效日期，请写成 YYYY-MM-DD，如 2026-11-30") from None


def port(value: str) -> int:
    """A TCP port number, 0 for any free one."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} 不是端口号，请写 1 到 65535 之间的数（0 表示任选空闲端口）")
    return number


def add_root(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--root", type=folder, default=Path("."),
                        help="项目根目录（包含 catalog/ 与 cases/），默认当前目录")
