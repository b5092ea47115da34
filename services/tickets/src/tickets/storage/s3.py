"""Objects in a bucket of an S3-compatible store, through aiobotocore: the AWS SDK's signing
(SigV4, session tokens, its credential chain), retries and error codes. Addressed path-style
(`<endpoint>/<bucket>/<key>`), which AWS and the self-hosted stores all accept."""

import asyncio
import logging
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiobotocore.config import AioConfig
from aiobotocore.response import StreamingBody
from aiobotocore.session import get_session
from botocore.exceptions import BotoCoreError, ClientError

from tickets.storage.port import StoredObjectMissing

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client
    from types_aiobotocore_s3.type_defs import CompletedPartTypeDef

log = logging.getLogger(__name__)

READ_CHUNK = 64 * 1024
DEFAULT_PART_BYTES = 8 * 1024 * 1024
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class S3StorageError(Exception):
    pass


@dataclass(frozen=True)
class S3Credentials:
    access_key_id: str
    secret_access_key: str
    session_token: str | None = None


class S3Storage:
    def __init__(
        self,
        endpoint_url: str | None,
        bucket: str,
        region: str,
        credentials: S3Credentials | None = None,
        *,
        part_bytes: int = DEFAULT_PART_BYTES,
    ) -> None:
        """`credentials` None: the SDK's chain finds them (environment, web identity, instance
        role). `part_bytes` is what one upload holds in memory at most."""
        self.endpoint_url = endpoint_url
        self.bucket = bucket
        self.region = region
        self.credentials = credentials
        self.part_bytes = part_bytes
        self._client: S3Client | None = None
        self._exits = AsyncExitStack()
        self._opening = asyncio.Lock()

    async def _s3(self) -> "S3Client":
        # Opened on first use, inside the running loop that will also close it.
        async with self._opening:
            if self._client is None:
                keys = self.credentials
                self._client = await self._exits.enter_async_context(
                    get_session().create_client(
                        "s3",
                        endpoint_url=self.endpoint_url,
                        region_name=self.region,
                        aws_access_key_id=keys.access_key_id if keys else None,
                        aws_secret_access_key=keys.secret_access_key if keys else None,
                        aws_session_token=keys.session_token if keys else None,
                        config=AioConfig(
                            s3={"addressing_style": "path"},
                            retries={"mode": "standard", "max_attempts": 3},
                            connect_timeout=5,
                            read_timeout=30,
                        ),
                    )
                )
            return self._client

    async def put(self, key: str, chunks: AsyncIterable[bytes], content_type: str) -> None:
        s3 = await self._s3()
        parts = _parts(chunks, self.part_bytes)
        first = await anext(parts, b"")
        try:
            if len(first) < self.part_bytes:
                # The whole file fits in one part: one PUT.
                await s3.put_object(Bucket=self.bucket, Key=key, Body=first, ContentType=content_type)
                return
            upload_id = (
                await s3.create_multipart_upload(Bucket=self.bucket, Key=key, ContentType=content_type)
            )["UploadId"]
        except (BotoCoreError, ClientError) as exc:
            raise S3StorageError(f"PUT {key}: {exc}") from exc
        try:
            done: list[CompletedPartTypeDef] = []
            part: bytes | None = first
            while part is not None:
                number = len(done) + 1
                answer = await s3.upload_part(
                    Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=part
                )
                done.append({"PartNumber": number, "ETag": answer["ETag"]})
                part = await anext(parts, None)
            await s3.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": done}
            )
        except BaseException as exc:
            # A stream that failed midway (too large, client gone) or a store error: the parts
            # sent so far are dropped, so nothing is left under the key.
            await asyncio.shield(self._abort(key, upload_id))
            if isinstance(exc, BotoCoreError | ClientError):
                raise S3StorageError(f"PUT {key}: {exc}") from exc
            raise

    async def _abort(self, key: str, upload_id: str) -> None:
        s3 = await self._s3()
        try:
            await s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
        except (BotoCoreError, ClientError):
            # The bucket's lifecycle rule for incomplete uploads is the backstop.
            log.warning("could not abort the multipart upload of %s", key, exc_info=True)

    async def open(self, key: str) -> AsyncIterator[bytes]:
        s3 = await self._s3()
        try:
            answer = await s3.get_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in _MISSING:
                raise StoredObjectMissing(key) from exc
            raise S3StorageError(f"GET {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise S3StorageError(f"GET {key}: {exc}") from exc
        return _body(answer["Body"])

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        try:
            await s3.delete_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") not in _MISSING:
                raise S3StorageError(f"DELETE {key}: {exc}") from exc
        except BotoCoreError as exc:
            raise S3StorageError(f"DELETE {key}: {exc}") from exc

    async def close(self) -> None:
        async with self._opening:
            self._client = None
            await self._exits.aclose()


async def _parts(chunks: AsyncIterable[bytes], size: int) -> AsyncIterator[bytes]:
    """The bytes of `chunks` regrouped in parts of `size` (the last one shorter)."""
    buffer = bytearray()
    async for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            yield bytes(buffer[:size])
            del buffer[:size]
    if buffer:
        yield bytes(buffer)


async def _body(body: StreamingBody) -> AsyncIterator[bytes]:
    # Leaving the body (read to the end or not) hands its connection back to the pool.
    async with body:
        async for chunk in body.iter_chunks(READ_CHUNK):
            yield chunk
