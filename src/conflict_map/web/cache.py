"""A small thread-safe LRU cache bounded by the estimated size of what it holds, not by its number of entries.

The dashboard keeps geoparses of the texts its users open. Counted in entries, 16 of them may be 16 small
articles or 16 book-length texts with tens of thousands of mentions each; counted in bytes, the cache holds
as many recent results as fit in its budget and never more.

>>> cache = SizedLRU(max_bytes=10, size_of=lambda key, value: len(value))
>>> cache.get_or_compute("a", lambda: "xxxx")
'xxxx'
>>> cache.put("b", "yyyyyy"); cache.put("c", "zz"); sorted(cache.keys()), cache.total_bytes
(['b', 'c'], 8)
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from conflict_map.models import ParseResult

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: Estimated bytes of one mention object without its candidates (slots object, its strings, list, float).
MENTION_BYTES = 600
#: Estimated bytes of one candidate reading (Candidate, its Place and the Place's strings).
CANDIDATE_BYTES = 400


class SizedLRU(Generic[K, V]):
    """Least-recently-used cache holding at most ``max_bytes`` of values as estimated by ``size_of(key, value)``.

    A value larger than the whole budget is returned to the caller but not kept.
    """

    def __init__(self, max_bytes: int, size_of: Callable[[K, V], int]) -> None:
        self.max_bytes = max_bytes
        self._size_of = size_of
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._total = 0
        self._lock = threading.Lock()

    @property
    def total_bytes(self) -> int:
        """Estimated bytes held now."""
        return self._total

    def __len__(self) -> int:
        return len(self._entries)

    def keys(self) -> list[K]:
        """The cached keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: K) -> V | None:
        """The cached value for ``key`` (now the most recently used), or None."""
        with self._lock:
            hit = self._entries.get(key)
            if hit is None:
                return None
            self._entries.move_to_end(key)
            return hit[0]

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used entries until it fits."""
        size = max(0, int(self._size_of(key, value)))
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._total -= old[1]
            if size > self.max_bytes:
                return
            while self._entries and self._total + size > self.max_bytes:
                _key, (_value, dropped) = self._entries.popitem(last=False)
                self._total -= dropped
            self._entries[key] = (value, size)
            self._total += size

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The cached value for ``key``, else ``compute()`` (outside the lock), kept for next time."""
        hit = self.get(key)
        if hit is not None:
            return hit
        value = compute()
        self.put(key, value)
        return value

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._entries.clear()
            self._total = 0


def parse_result_bytes(text: str, result: ParseResult) -> int:
    """Estimated memory held by a cached geoparse of ``text``: the text, each distinct sentence string once,
    and a fixed estimate per mention and per candidate reading."""
    total = sys.getsizeof(text)
    if result.text is not text:
        total += sys.getsizeof(result.text)
    sentences = {id(m.sentence): m.sentence for m in result.mentions}
    total += sum(sys.getsizeof(s) for s in sentences.values())
    total += sum(MENTION_BYTES + CANDIDATE_BYTES * len(m.candidates) for m in result.mentions)
    return total


__all__ = ["CANDIDATE_BYTES", "MENTION_BYTES", "SizedLRU", "parse_result_bytes"]
