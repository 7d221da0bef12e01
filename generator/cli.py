"""`juli`: one program, one module per subcommand under `generator/commands/`.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`; they are
found by name so that adding a command touches no other file.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line. With `argv` naming a command, only that command's module is imported (the
    others may import the whole build: a third of a second `juli validate` need not spend)."""
    top = argparse.ArgumentParser(
        prog="juli",
        description="聚力目录:校验科技型社会组织的服务产品和资源目录,并发布为静态网站。",
    )
    top.add_argument("--version", action="version", version=f"juli {__version__}")
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    names = sorted(info.name for info in pkgutil.iter_modules(commands.__path__))
    chosen = next((a.replace("-", "_") for a in argv or [] if not a.startswith("-")), None)
    for name in [chosen] if chosen in names else names:  # a module is named as its command, `_` for `-`
        module = importlib.import_module(f"{commands.__name__}.{name}")
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return 2
    try:
        return args.run(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
