"""A bounded least-recently-used map whose entries end at a moment of their own.

The request path keeps what it has verified (an access token, a claims header) for the rest of
that thing's life, so the next request carrying the same bytes skips the signature check. The
map is bounded so that a stream of distinct tokens costs memory only up to `max_entries`.
`cachetools.TLRUCache` does the work; each entry carries its own end, on the wall clock
(`time.time`, the clock of a token's `exp`).
"""

import time
from typing import Generic, TypeVar

from cachetools import TLRUCache

K = TypeVar("K")
V = TypeVar("V")


def _ends_at(_key: object, entry: tuple[float, object], _now: float) -> float:
    return entry[0]


class ExpiringLru(Generic[K, V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: TLRUCache[K, tuple[float, V]] = TLRUCache(
            maxsize=max(1, max_entries), ttu=_ends_at, timer=time.time
        )

    def get(self, key: K) -> V | None:
        """The value, while its end has not come."""
        found = self._entries.get(key)
        return None if found is None else found[1]

    def put(self, key: K, value: V, ends_at: float) -> None:
        """Keep `value` until `ends_at` (seconds since the epoch); one already ended is not kept."""
        if self.max_entries <= 0:
            return
        self._entries[key] = (ends_at, value)

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
