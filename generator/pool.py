"""The fork pool: jobs run in forked worker processes (one per core) or in a background child.

Forked workers inherit the jobs (closures over the catalog) instead of receiving them pickled, so
nothing but the results crosses between processes; results must be picklable. Output never depends
on how the work was split. Shared by the checks (parsing files), the render stage (memoized pages,
images) and the site builder (page conversion), so it belongs to no stage.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, TypeVar

T = TypeVar("T")

PARALLEL_MIN = 64  # fewer jobs than this run in this process: forking costs more than they do
_jobs: list[Callable[[], object]] = []
counters: list[Counter] = []  # module statistics (e.g. covers drawn/reused) that workers report back


def parallel(jobs: list[Callable[[], T]]) -> list[T]:
    """Call every job and return the results in order, across forked worker processes (one per core)
    when there are many. Forked workers inherit the jobs (closures over the catalog), so nothing but
    the results crosses between processes; results must be picklable. Output never depends on how
    the work was split."""
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) < PARALLEL_MIN or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [job() for job in jobs]
    global _jobs
    with _parallel_lock:  # workers read the jobs from this module's global, one batch at a time
        _jobs = jobs
        try:
            return _fork_map(jobs, workers)
        finally:
            _jobs = []


_parallel_lock = threading.Lock()


def _fork_map(jobs: list, workers: int) -> list:
    """The jobs in spans of about an eighth of a worker's share, so a slow span never idles the others."""
    chunk = max(8, len(jobs) // (workers * 8))
    spans = [(start, min(start + chunk, len(jobs))) for start in range(0, len(jobs), chunk)]
    results = []
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for part, deltas in pool.map(_run_span, spans):
            results += part
            for counter, delta in zip(counters, deltas):
                counter.update(delta)
    return results


def _run_span(span: tuple[int, int]) -> tuple[list, list[Counter]]:
    before = [Counter(c) for c in counters]
    part = [job() for job in _jobs[span[0]:span[1]]]
    return part, [c - b for c, b in zip(counters, before)]


class Background:
    """`job()` run in a forked child while this process goes on (one core builds the search index while
    the other renders pages); `result()` waits for it and re-raises its failure. Where fork is not
    available, or with `fork=False`, the job simply runs when `result()` is called. The child inherits
    the job (a closure over the catalog), so only its result, which must be picklable, crosses back."""

    def __init__(self, job: Callable[[], T], fork: bool = True):
        self._job = job
        self._process = None
        if fork and "fork" not in multiprocessing.get_all_start_methods():
            fork = False
        if fork:
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            self._process = context.Process(target=_background, args=(job, send))
            self._process.start()
            send.close()

    def result(self) -> T:
        if self._process is None:
            return self._job()
        try:
            ok, value = self._receive.recv()
        except EOFError:
            ok, value = False, f"the background process ended without a result (exit code {self._process.exitcode})"
        finally:
            self._process.join()
            self._receive.close()
        if not ok:
            raise RuntimeError(value)
        return value

    def cancel(self) -> None:
        if self._process is not None and self._process.exitcode is None:
            self._process.terminate()
            self._process.join()


def _background(job: Callable[[], object], send) -> None:
    import traceback

    try:
        send.send((True, job()))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        send.send((False, traceback.format_exc()))
    finally:
        send.close()
