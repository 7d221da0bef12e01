"""Values derived from a whole catalog, computed once per catalog instead of once per page.

Many pages need the same catalog-wide figure (its newest date, the feeds' window, the metrics). The
model is immutable, so a value derived from one `Catalog` object stays right for as long as that object
lives: `per_catalog` keeps the result for the catalog it was last asked about (by identity, never by
equality, so a new build's catalog always recomputes).
"""

from __future__ import annotations

import functools
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def per_catalog(fn: Callable[..., T]) -> Callable[..., T]:
    """Cache `fn(catalog)` for the most recent catalog object. Callers must not mutate the result."""
    last: list = [None, None]
    lock = threading.Lock()

    @functools.wraps(fn)
    def wrapper(catalog) -> T:
        with lock:
            if last[0] is not catalog:
                last[:] = [catalog, fn(catalog)]
            return last[1]

    return wrapper
