"""The render stage: each renderer reads the catalog and yields files; it writes nothing itself.

Renderers are plain functions `render(ctx) -> Iterable[Output]`. An `Output` goes either into the docs
tree that the site builder turns into pages (`docs`), or straight into the built site (`site`: feeds,
exports, share kits, images). Writing, caching and the atomic swap belong to the build stage.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import sqlite3
import threading
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable, Iterable, Literal, Protocol, TypeVar

from ..model import Catalog

T = TypeVar("T")


@dataclass(frozen=True)
class Output:
    path: str  # POSIX path relative to its tree
    data: bytes
    tree: Literal["docs", "site"] = "docs"


@dataclass(frozen=True)
class Context:
    """What every renderer may read: the catalog, the project root and a cache folder of its own."""

    catalog: Catalog
    root: Path
    cache: Path
    options: dict = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.catalog.programme.site.base_url

    def memo(self, namespace: str, key_parts: object, produce: Callable[[], T]) -> T:
        """`produce()`, or what it returned before for the same inputs (kept in `cache/memo.sqlite`).

        `key_parts` must hold everything the result depends on — the item's own data AND whatever it
        shows from elsewhere (its organization's name, the cases citing it…) — as model values or
        plain data, whose `repr` is stable. The key also covers the generator's code, templates and
        library versions, the programme settings and the taxonomy, so a stale result can never be
        served: any change in any of them is a different key. Results must be picklable (bytes, str,
        dicts of them)."""
        return self.memo_all(namespace, [(key_parts, produce)])[0]

    def memo_all(self, namespace: str, jobs: list[tuple[object, Callable[[], T]]]) -> list[T]:
        """`memo` for many items at once: what is not stored yet is produced in parallel (see
        `parallel`), so a cold build uses every core. Results in the order of `jobs`."""
        salt = _salt(self.catalog)
        store = _store(self.cache, salt)
        keys = []
        for key_parts, _ in jobs:
            digest = hashlib.sha256(salt.encode())
            digest.update(namespace.encode() + b"\0" + repr(key_parts).encode())
            keys.append(digest.hexdigest())
        results = [store.get(key) for key in keys]
        missing = [i for i, found in enumerate(results) if found is None]
        for i, value in zip(missing, parallel([jobs[i][1] for i in missing])):
            store.put(keys[i], value)
            results[i] = value
        return results


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


class _Store:
    """One SQLite table of pickled results: a file per result would cost more to open than most
    results cost to make. Rows of an older code version or settings (`salt`) are dropped when a new
    one first writes, so the file holds one generation. It is a cache: an unreadable file is
    started afresh, and no write waits for the disk (synchronous=OFF)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = self._open(path)
        except sqlite3.DatabaseError:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self.db = self._open(path)
        self.salt = ""
        self.lock = threading.Lock()
        self.pid = os.getpid()

    @staticmethod
    def _open(path: Path) -> sqlite3.Connection:
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=60)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("CREATE TABLE IF NOT EXISTS memo_v1 (key TEXT PRIMARY KEY, salt TEXT, digest TEXT, value BLOB)")
        return db

    def get(self, key: str):
        """The stored value, or None when absent or damaged (its digest must match its bytes)."""
        try:
            with self.lock:
                row = self.db.execute("SELECT value, digest FROM memo_v1 WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or hashlib.sha256(row[0]).hexdigest() != row[1]:
            return None
        try:
            return pickle.loads(row[0])
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value, salt: str) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with self.lock:
                if salt != self.salt:
                    self.db.execute("DELETE FROM memo_v1 WHERE salt != ?", (salt,))
                    self.salt = salt
                self.db.execute("INSERT OR REPLACE INTO memo_v1 (key, salt, digest, value) VALUES (?, ?, ?, ?)",
                                (key, salt, hashlib.sha256(data).hexdigest(), data))
        except sqlite3.DatabaseError:
            pass  # a cache that cannot be written only costs time


_stores: dict[Path, _Store] = {}
_stores_lock = threading.Lock()


def _store(cache: Path, salt: str) -> "_BoundStore":
    """The store of a cache folder, opened once per process (a forked child opens its own)."""
    with _stores_lock:
        path = (cache / "memo.sqlite").resolve()
        found = _stores.get(path)
        if found is None or found.pid != os.getpid() or not path.exists():
            found = _stores[path] = _Store(path)
        return _BoundStore(found, salt)


@dataclass(frozen=True)
class _BoundStore:
    store: _Store
    salt: str

    def get(self, key: str):
        return self.store.get(key)

    def put(self, key: str, value) -> None:
        self.store.put(key, value, self.salt)


_SHAPING_DISTRIBUTIONS = ("jinja2", "markdown", "nh3", "pillow", "segno", "feedgen", "lxml", "markupsafe", "weasyprint", "pydyf", "rjieba")


@cache
def code_version() -> str:
    """A hash of the generator package's files (code, templates, assets) and of the versions of the
    libraries that shape the output: part of every memo key."""
    from importlib import metadata

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in _SHAPING_DISTRIBUTIONS:
        try:
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none\0".encode())
    return digest.hexdigest()


_salts: dict[int, tuple[Catalog, str]] = {}


def _salt(catalog: Catalog) -> str:
    """The code version, the programme settings and the taxonomy of this catalog (computed once per catalog)."""
    found = _salts.get(id(catalog))
    if found is None or found[0] is not catalog:
        text = f"{code_version()}\0{catalog.programme!r}\0{catalog.taxonomy!r}"
        found = (catalog, hashlib.sha256(text.encode()).hexdigest())
        _salts.clear()
        _salts[id(catalog)] = found
    return found[1]


Renderer = Callable[[Context], Iterable[Output]]


class Job(Protocol):
    """A postprocessor under way (see `postprocessors`)."""

    def place(self, site: Path) -> None: ...

    def cancel(self) -> None: ...


Postprocessor = Callable[..., Job]  # start(ctx, background=True) -> Job


def renderers() -> list[Renderer]:
    """Every renderer, in a fixed order. Imported here so each module stays independent of the others."""
    from . import calendar, changes, contributing, ecosystem, exports, feeds, media, pages, profiles, progress, search, share, theme
    from . import print as edition

    return [pages.render, calendar.render, exports.render, media.render, theme.render, share.render, feeds.render,
            search.render, profiles.render, ecosystem.render, progress.render, changes.render, contributing.render,
            edition.render]


def postprocessors() -> list[Postprocessor]:
    """Steps that build from the model beside the pages (the search index): each starts when called with
    the context, may work in the background meanwhile, and puts its result into the staged site with
    `place(site)` once the pages are there."""
    from . import search

    return [search.index]
