"""A bounded least-recently-used map whose entries end at a moment of their own.

The request path keeps what it has verified (an access token, a claims header) for the rest of
that thing's life, so the next request carrying the same bytes skips the signature check. The
map is bounded so that a stream of distinct tokens costs memory only up to `max_entries`.
"""

from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ExpiringLru(Generic[K, V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K, now: float) -> V | None:
        """The value, while `now` is before its end; an ended entry is dropped."""
        found = self._entries.get(key)
        if found is None:
            return None
        ends_at, value = found
        if now >= ends_at:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V, ends_at: float) -> None:
        if self.max_entries <= 0:
            return
        self._entries[key] = (ends_at, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def discard(self, key: K) -> None:
        self._entries.pop(key, None)

    def __len__(self) -> int:
        return len(self._entries)
