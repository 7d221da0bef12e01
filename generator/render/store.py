"""The one cache: a content-addressed store of results, whose keys are computed, never written by hand.

A key is the hash of
- the code: every file of the `generator` package (Python, templates, assets) — `code_digest`;
- the library versions: the one list of distributions that shape output, `SHAPING_DISTRIBUTIONS`
  (the build's fingerprint and the page shells' salt read the same list);
- the settings: the programme and the taxonomy (a renderer's `salt`), or the mkdocs settings (the shells');
- the declared inputs: the function called and all its arguments, encoded by `encode` — every model
  value by its fields, every file path by its name and bytes (a logo replaced under the same name is a new key;
  the same project in another folder is not).

So a memoized function may read only its arguments and the settings: `Store.call` refuses closures and
bound methods, which could read more than the key says. Nothing is bumped by hand when code changes,
and nothing lists "what a page shows": what it is given is what it shows.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import os
import pickle
import sqlite3
import threading
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, lru_cache, partial
from importlib import metadata
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Callable, TypeVar

from ..pool import parallel

T = TypeVar("T")

# Libraries whose version can change a byte the build writes (pages, images, feeds, search, HTML).
SHAPING_DISTRIBUTIONS = ("jinja2", "markdown", "markupsafe", "nh3", "pillow", "segno", "feedgen", "lxml", "pyyaml",
                         "mkdocs", "mkdocs-material", "pymdown-extensions", "zensical",
                         "opencc", "pypinyin", "brotli", "deflate", "weasyprint", "pydyf", "rjieba")


@cache
def code_digest() -> str:
    """The generator package's files and the shaping libraries' versions, hashed once per process."""
    digest = hashlib.sha256(b"juli-code-1\0")
    add_tree(digest, Path(__file__).resolve().parent.parent, "generator")
    for dist in SHAPING_DISTRIBUTIONS:
        try:
            digest.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{dist}=none\0".encode())
    return digest.hexdigest()


def add_tree(digest, base: Path, label: str) -> None:
    """Every file under `base` (or `base` itself), path and bytes, into `digest`; `__pycache__` left out.
    os.walk and plain strings: pathlib's per-file objects cost more than hashing at 12,000 files."""
    if base.is_file():
        files = [("", str(base))]
    else:
        files = []
        for folder, dirs, names in os.walk(base):
            dirs[:] = [d for d in dirs if d != "__pycache__"]
            rel = os.path.relpath(folder, base).replace(os.sep, "/")
            files += [(name if rel == "." else f"{rel}/{name}", os.path.join(folder, name)) for name in names]
    for rel, path in sorted(files):
        if not os.path.isfile(path):
            continue
        with open(path, "rb") as handle:
            data = handle.read()
        digest.update(f"{label}/{rel}\0{len(data)}\0".encode())
        digest.update(hashlib.sha256(data).digest())


def salt(*settings: object) -> str:
    """The code digest and `settings` (encoded as keys are): what every key of one store shares."""
    return hashlib.sha256(f"{code_digest()}\0{encode(settings)}".encode()).hexdigest()


def file_digest(path: str | os.PathLike | None) -> str:
    """The hash of a file's bytes ("" for no file or a missing one), computed once per file version."""
    if not path or not os.path.isfile(path):
        return ""
    stat = os.stat(path)
    return _file_digest(os.fspath(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=8192)
def _file_digest(path: str, size: int, mtime: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


_PLAIN = frozenset({str, int, float, bool, type(None), bytes, date, datetime, time, Decimal})


def encode(value: object, seen: dict[int, tuple[object, str]] | None = None) -> str:
    """A stable text of `value` for a key: model dataclasses by their fields, containers item by item,
    paths by their file name and bytes (`file_digest`), not their folder. Anything else must have a
    `repr` that names its value; one that names an address (`<… at 0x…>`) is refused, as it would make
    every key new. `seen` keeps the text of immutable objects met before (an organization, a taxonomy
    term is shared by many items, an entry by its page and its organization's profile): pass one dict for
    keys of the same model."""
    return _encode(value, {} if seen is None else seen)


def _encode(value: object, seen: dict[int, tuple[object, str]]) -> str:
    # Plain items of containers and fields are encoded inline: a call per value was most of a key's time.
    kind = type(value)
    if kind in _PLAIN or isinstance(value, enum.Enum):
        return repr(value)
    if kind is tuple or kind is list:
        return f"{kind.__name__}(" + ",".join([repr(v) if type(v) in _PLAIN else _encode(v, seen) for v in value]) + ")"
    if kind is frozenset or kind is set:
        return f"{kind.__name__}(" + ",".join(sorted(_encode(v, seen) for v in value)) + ")"
    if kind is dict:
        return "{" + ",".join(sorted(f"{_encode(k, seen)}:{_encode(v, seen)}" for k, v in value.items())) + "}"
    shape = _fields(kind)
    if shape is not None:
        fields, frozen = shape
        found = seen.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        text = f"{kind.__qualname__}(" + ",".join(
            [repr(v) if type(v) in _PLAIN else _encode(v, seen) for v in fields(value)]) + ")"
        if frozen:
            seen[id(value)] = (value, text)  # the value is kept, so its id is not reused meanwhile
        return text
    if isinstance(value, PurePath):
        return f"file({value.name!r},{file_digest(value)})"  # where it lies is not what it holds
    text = repr(value)
    if " at 0x" in text:
        raise TypeError(f"{kind.__qualname__} has no stable value for a cache key: {text[:80]}")
    return text


@lru_cache(maxsize=None)
def _fields(kind: type) -> tuple[Callable[[object], tuple], bool] | None:
    """For a dataclass or named tuple `kind`: a function giving its field values in order, and whether
    its objects are immutable (frozen), so their text can be remembered; None for other types."""
    if dataclasses.is_dataclass(kind):
        names, frozen = tuple(f.name for f in dataclasses.fields(kind)), kind.__dataclass_params__.frozen
    elif issubclass(kind, tuple) and hasattr(kind, "_fields"):  # named tuples
        names, frozen = kind._fields, True
    else:
        return None
    if len(names) == 1:
        return (lambda value: (getattr(value, names[0]),)), frozen
    return (attrgetter(*names) if names else lambda value: ()), frozen


def _function_name(fn: Callable) -> str:
    """`module.name` of a plain module-level function; anything that could read more than its
    arguments (a closure, a lambda, a bound method, a partial) is refused."""
    name = getattr(fn, "__qualname__", "")
    if (not callable(fn) or isinstance(fn, partial) or getattr(fn, "__self__", None) is not None
            or "<" in name or getattr(fn, "__closure__", None)):
        raise TypeError(f"only a module-level function can be memoized, not {fn!r}")
    return f"{fn.__module__}.{name}"


class Store:
    """The results of memoized calls, in one SQLite table of pickled values: a file per result would
    cost more to open than most results cost to make. Rows of another code version (`code_digest`) are
    dropped when this one first writes, so the file holds one generation of the code; other settings'
    rows stay (a preview with another programme file, a test's variant, and back again cost nothing). It is a cache: an
    unreadable file is started afresh, and no write waits for the disk (synchronous=OFF). A forked
    worker opens its own connection."""

    def __init__(self, path: Path, settings: tuple = ()):
        self.path, self.settings, self.salt = path, settings, salt(*settings)
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._cleaned = False
        self._lock = threading.Lock()
        self._seen: dict = {}  # the texts of immutable arguments, for every key of this build (see `encode`)

    def key(self, fn: Callable, args: tuple, seen: dict | None = None) -> str:
        return hashlib.sha256(f"{self.salt}\0{_function_name(fn)}\0{encode(args, seen)}".encode()).hexdigest()

    def call(self, fn: Callable[..., T], *args) -> T:
        """`fn(*settings, *args)`, or what it returned before for the same code, settings and arguments."""
        return self.call_all(fn, [args])[0]

    def call_all(self, fn: Callable[..., T], calls: list[tuple]) -> list[T]:
        """`call` for many argument tuples: what is not stored yet is made in parallel (see `pool`), so a
        cold build uses every core. Results in the order of `calls`; they must be picklable."""
        keys = [self.key(fn, args, self._seen) for args in calls]
        results = [self.get(key) for key in keys]
        missing = [i for i, found in enumerate(results) if found is None]
        for i, value in zip(missing, parallel([partial(fn, *self.settings, *calls[i]) for i in missing])):
            self.put(keys[i], value)
            results[i] = value
        return results

    def _connection(self) -> sqlite3.Connection:
        if self._db is None or self._pid != os.getpid() or not self.path.exists():
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open()
            except sqlite3.DatabaseError:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
                self._db = self._open()
            self._pid = os.getpid()
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=60)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("DROP TABLE IF EXISTS memo_v1")  # the layout before keys were computed
        db.execute("CREATE TABLE IF NOT EXISTS memo_v2 (key TEXT PRIMARY KEY, code TEXT, digest TEXT, value BLOB)")
        return db

    def get(self, key: str):
        """The stored value, or None when absent or damaged (its digest must match its bytes)."""
        try:
            with self._lock:
                row = self._connection().execute("SELECT value, digest FROM memo_v2 WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError:
            return None
        if row is None or hashlib.sha256(row[0]).hexdigest() != row[1]:
            return None
        try:
            return pickle.loads(row[0])
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def put(self, key: str, value) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            with self._lock:
                db = self._connection()
                if not self._cleaned:
                    db.execute("DELETE FROM memo_v2 WHERE code != ?", (code_digest(),))
                    self._cleaned = True
                db.execute("INSERT OR REPLACE INTO memo_v2 (key, code, digest, value) VALUES (?, ?, ?, ?)",
                           (key, code_digest(), hashlib.sha256(data).hexdigest(), data))
        except sqlite3.DatabaseError:
            pass  # a cache that cannot be written only costs time

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None
