"""`juli`: one program, one module per subcommand under `generator/commands/`.

Each command module defines `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> int`; they are
found by name so that adding a command touches no other file. `main` is the one place where exceptions
become messages and exit codes (see `generator.errors`): no command prints a Python traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import re
import sys

from . import __version__, commands
from .errors import BUG_EXIT, JuliError, describe_os_error, report_bug

# argparse's own messages, in Chinese (argparse ships no Chinese translation).
_ARGPARSE_WORDS = [
    (re.compile(r"the following arguments are required: (.*)"), "缺少必需的参数：{0}"),
    (re.compile(r"unrecognized arguments: (.*)"), "无法识别的参数：{0}"),
    (re.compile(r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)"), "参数 {0} 的值 {1} 不可用，可选：{2}"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.*)"), "参数 {0} 的值 {1} 格式不对"),
    (re.compile(r"argument (\S+): expected one argument"), "参数 {0} 后面需要一个值"),
    (re.compile(r"argument (\S+): expected at least one argument"), "参数 {0} 后面至少需要一个值"),
    (re.compile(r"argument (\S+): not allowed with argument (\S+)"), "参数 {0} 不能与 {1} 同时使用"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), "选项 {0} 不明确，可能是：{1}"),
    (re.compile(r"argument (\S+): (.*)"), "参数 {0}：{1}"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its error messages in Chinese and a pointer to `--help`."""

    def error(self, message: str):
        for pattern, words in _ARGPARSE_WORDS:
            m = pattern.fullmatch(message)
            if m:
                message = words.format(*m.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：{message}。运行 `{self.prog} --help` 查看用法。\n")


def parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line. With `argv` naming a command, only that command's module is imported (the
    others may import the whole build: a third of a second `juli validate` need not spend)."""
    top = _Parser(
        prog="juli",
        description="聚力目录：校验科技型社会组织的服务产品和资源目录，并发布为静态网站。",
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
    """Run one command; expected failures become a Chinese message and a non-zero exit (see
    `generator.errors`), with `JULI_DEBUG=1` a bug propagates with its traceback."""
    try:
        code = _run(argv)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at interpreter exit
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader (`| head`) has gone: stop quietly, and keep the interpreter's final flush quiet too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except JuliError as exc:
        print(f"juli：{exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"juli：{describe_os_error(exc)}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: say so briefly, keep the traceback in a file
        if os.environ.get("JULI_DEBUG"):
            raise
        report_bug(exc)
        return BUG_EXIT


def _run(argv: list[str] | None) -> int:
    args = parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    if not getattr(args, "run", None):
        parser().print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
