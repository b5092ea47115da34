"""Where attachment bytes live. The service speaks only to this port; the adapters are the
local filesystem (default) and any S3-compatible object store."""

from collections.abc import AsyncIterator
from typing import Protocol


class StoredObjectMissing(Exception):
    """The key names nothing in the store."""


class AttachmentStorage(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`. Keys are never reused."""

    async def open(self, key: str) -> AsyncIterator[bytes]:
        """The stored bytes, in chunks. Raises StoredObjectMissing before any chunk, so a
        caller can still answer with an error instead of a broken stream."""

    async def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""
