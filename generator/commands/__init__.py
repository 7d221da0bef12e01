"""One module per `juli` subcommand, and the argument types they share (with Chinese messages)."""

from __future__ import annotations

import argparse
import sys
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


def checked_catalog(command: str, root: Path, meter):
    """The catalog of `root`, validated and modelled under the meter's "validate" and "model" stages; None
    when it has errors, which are printed (the command then exits 1)."""
    from .. import model
    from ..checks import formats, validate

    validation = validate(root)
    meter.advance(len(validation.documents))
    if not validation.ok:
        meter.end(failed=True)
        print(formats.as_text(validation.problems, len(validation.documents)), file=sys.stderr)
        print(f"{command}：目录中有错误，请先修正。", file=sys.stderr)
        return None
    meter.lap("validate")
    catalog = model.build(validation)
    meter.lap("model")
    return catalog
