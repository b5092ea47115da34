"""Several small connection pools in place of one large one.

httpcore's pool, on every request and every release, walks all its connections, polls the
socket of each idle one and counts the idle ones again for each: its cost grows with the
square of its size, and under a few dozen requests in flight it becomes the largest cost of a
process that proxies or calls out. Sharding the connections over several small pools keeps
each walk short.
"""

import contextlib
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class LeastBusy(Generic[T]):
    """Hands out one of `items` per request: the first with fewer than `per_item` requests in
    flight (so requests one after another keep reusing one warm connection), else the least
    busy one."""

    def __init__(self, items: Sequence[T], per_item: int) -> None:
        if not items:
            raise ValueError("at least one pool is needed")
        self.items = tuple(items)
        self.per_item = per_item
        self._in_flight = [0] * len(self.items)

    @contextlib.contextmanager
    def take(self) -> Iterator[T]:
        counts = self._in_flight
        index = next((i for i, n in enumerate(counts) if n < self.per_item), None)
        if index is None:
            index = counts.index(min(counts))
        counts[index] += 1
        try:
            yield self.items[index]
        finally:
            counts[index] -= 1
