"""Caches that many threads can share: the dashboard serves every reader from one process.

``functools.lru_cache`` lets ten threads that miss at the same moment all compute the value (ten readers
opening the page at once each loaded the boundary layers). :func:`locked_cache` computes it once and makes
the others wait for it.

>>> calls = []
>>> @locked_cache()
... def load() -> int:
...     calls.append(1)
...     return 42
>>> load(), load(), len(calls)
(42, 42, 1)
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def locked_cache(maxsize: int | None = 1) -> Callable[[F], F]:
    """``lru_cache(maxsize)`` whose calls hold one lock per function, so a value is computed once."""

    def decorate(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        lock = threading.RLock()

        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return cached(*args, **kwargs)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate
