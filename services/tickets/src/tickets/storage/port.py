"""Where attachment bytes live. The service speaks only to this port; the adapters are the
local filesystem (default) and any S3-compatible object store."""

from collections.abc import AsyncIterable, AsyncIterator
from typing import Protocol


class StoredObjectMissing(Exception):
    """The key names nothing in the store."""


class AttachmentStorage(Protocol):
    async def put(self, key: str, chunks: AsyncIterable[bytes], content_type: str) -> None:
        """Store the bytes of `chunks` under `key`, as they arrive. Keys are never reused. When
        `chunks` raises, nothing is left under `key` and the error propagates."""

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks. Raises StoredObjectMissing before any chunk, so a
        caller can still answer with an error instead of a broken stream."""

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""

    async def close(self) -> None:
        """Release connections at shutdown."""
