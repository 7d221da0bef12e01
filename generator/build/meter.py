"""Progress of long commands on stderr: which stage, and how far (counts).

On a terminal one line is redrawn in place (at most ten times a second); in CI logs and other pipes each
stage is one line when it ends, with its count and time, so a log stays short. Commands install a meter
with `using(Meter("juli build", plan))`; code deep in the pipeline reports through `current()` (a meter
that prints nothing when no command installed one: tests, the preview server). A pipeline that already
marks the end of each stage by name (the build's `lap`) calls `lap(name)`, and the plan, which maps those
names to Chinese labels in order, says which stage begins next.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from typing import IO, Iterator


class Meter:
    def __init__(self, command: str, plan: dict[str, str] | None = None, stream: IO[str] | None = None,
                 tty: bool | None = None, clock=time.monotonic):
        self.command = command
        self.plan = dict(plan or {})
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.clock = clock
        self.label = ""
        self.done = 0
        self.total: int | None = None
        self.started = 0.0
        self._drawn = 0.0

    def stage(self, label: str, total: int | None = None) -> None:
        """Start a stage (ending the one under way)."""
        self.end()
        self.label, self.done, self.total, self.started = label, 0, total, self.clock()
        self._draw(force=True)

    def begin(self) -> None:
        """Start the plan's first stage."""
        if self.plan:
            self.stage(next(iter(self.plan.values())))

    def lap(self, name: str) -> None:
        """The planned stage `name` ended: end it and start the one after it in the plan."""
        self.end()
        keys = list(self.plan)
        if name in keys and keys.index(name) + 1 < len(keys):
            self.stage(self.plan[keys[keys.index(name) + 1]])

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw(force=self.total is not None and self.done >= self.total)

    def end(self, failed: bool = False) -> None:
        """End the stage under way: its line in a log, or the final redraw ending the terminal's line."""
        if not self.label:
            return
        seconds = self.clock() - self.started
        line = f"{self.command}：{self.label}{self._count()} {'中断' if failed else '完成'}，{seconds:.1f} 秒"
        if self.tty:
            self._redraw(line)
            self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self.label = ""

    def _count(self) -> str:
        if self.total is not None:
            return f" {self.done:,}/{self.total:,}"
        return f" {self.done:,}" if self.done else ""

    def _draw(self, force: bool = False) -> None:
        if not self.tty:
            return
        now = self.clock()
        if not force and now - self._drawn < 0.1:
            return
        self._drawn = now
        self._redraw(f"{self.command}：{self.label}{self._count()}…")

    def _redraw(self, line: str) -> None:
        self.stream.write("\r" + line + "\x1b[K")  # erase the rest of the previous, longer line
        self.stream.flush()


class _Silent(Meter):
    def __init__(self):
        super().__init__("", stream=sys.stderr, tty=False)

    def stage(self, label: str, total: int | None = None) -> None:
        pass

    def lap(self, name: str) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def end(self, failed: bool = False) -> None:
        pass


_current: Meter = _Silent()


def current() -> Meter:
    return _current


@contextmanager
def using(meter: Meter) -> Iterator[Meter]:
    """Install `meter` for the duration of a command and start its plan; the last stage is ended on the
    way out (as interrupted when the command failed)."""
    global _current
    previous, _current = _current, meter
    meter.begin()
    try:
        yield meter
    except BaseException:
        meter.end(failed=True)
        raise
    finally:
        meter.end()
        _current = previous
