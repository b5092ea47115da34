"""The S3 adapter against an S3-protocol server that checks every signature and session token."""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

import pytest
from aiobotocore.session import get_session

from tickets.storage.port import StoredObjectMissing
from tickets.storage.s3 import S3Credentials, S3Storage, S3StorageError

from ..tickets_test_support import S3Store, TooLarge, failing_after, stream

if TYPE_CHECKING:
    from types_aiobotocore_s3 import S3Client

MiB = 1024 * 1024
CredentialsChange = Callable[[S3Credentials], S3Credentials]



async def read_all(storage: S3Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in await storage.open(key)])


@asynccontextmanager
async def store_client(store: S3Store) -> AsyncIterator["S3Client"]:
    """A client of its own, to look at the bucket from outside the adapter."""
    keys = store.credentials
    async with get_session().create_client(
        "s3",
        endpoint_url=store.endpoint_url,
        region_name=store.region,
        aws_access_key_id=keys.access_key_id,
        aws_secret_access_key=keys.secret_access_key,
        aws_session_token=keys.session_token,
    ) as s3:
        yield s3


async def uploads_in_progress(store: S3Store, key: str) -> int:
    async with store_client(store) as s3:
        answer = await s3.list_multipart_uploads(Bucket=store.bucket, Prefix=key)
    return len(answer.get("Uploads", []))


async def parts_in_progress(store: S3Store, key: str) -> int:
    async with store_client(store) as s3:
        uploads = (await s3.list_multipart_uploads(Bucket=store.bucket, Prefix=key)).get("Uploads", [])
        parts = 0
        for upload in uploads:
            listed = await s3.list_parts(Bucket=store.bucket, Key=key, UploadId=upload["UploadId"])
            parts += len(listed.get("Parts", []))
    return parts


class TestS3Storage:
    async def test_a_small_file_round_trips(self, s3_store: S3Store) -> None:
        storage = s3_store.storage()
        try:
            await storage.put("c/t/a", stream(b"da", b"ta"), "text/plain")
            assert await read_all(storage, "c/t/a") == b"data"
        finally:
            await storage.close()

    async def test_a_large_file_goes_up_in_parts_while_it_is_read(self, s3_store: S3Store) -> None:
        storage = s3_store.storage(part_bytes=5 * MiB)
        parts_stored_before_the_last_chunk: list[int] = []

        async def upload() -> AsyncIterator[bytes]:
            for _ in range(11):
                yield b"x" * MiB
            parts_stored_before_the_last_chunk.append(await parts_in_progress(s3_store, "c/t/big"))
            yield b"end"

        try:
            await storage.put("c/t/big", upload(), "application/pdf")
            body = await read_all(storage, "c/t/big")
        finally:
            await storage.close()
        assert body == b"x" * (11 * MiB) + b"end"
        # Two whole parts were already in the store before the file had been read to its end.
        assert parts_stored_before_the_last_chunk == [2]

    async def test_a_stream_that_fails_midway_leaves_nothing(self, s3_store: S3Store) -> None:
        storage = s3_store.storage(part_bytes=5 * MiB)
        try:
            with pytest.raises(TooLarge):
                await storage.put("c/t/too-big", failing_after([b"x" * MiB] * 6), "application/pdf")
            with pytest.raises(StoredObjectMissing):
                await storage.open("c/t/too-big")
        finally:
            await storage.close()
        assert await parts_in_progress(s3_store, "c/t/too-big") == 0
        assert await uploads_in_progress(s3_store, "c/t/too-big") == 0

    async def test_a_missing_object_is_reported_before_streaming(self, s3_store: S3Store) -> None:
        storage = s3_store.storage()
        try:
            with pytest.raises(StoredObjectMissing):
                await storage.open("c/t/none")
        finally:
            await storage.close()

    async def test_delete_removes_and_a_missing_key_is_no_error(self, s3_store: S3Store) -> None:
        storage = s3_store.storage()
        try:
            await storage.put("c/t/gone", stream(b"bye"), "text/plain")
            await storage.delete("c/t/gone")
            await storage.delete("c/t/gone")
            with pytest.raises(StoredObjectMissing):
                await storage.open("c/t/gone")
        finally:
            await storage.close()

    async def test_keys_that_need_encoding_are_signed_as_sent(self, s3_store: S3Store) -> None:
        storage = s3_store.storage()
        try:
            await storage.put("c/t/a b$c+d=é", stream(b"odd"), "text/plain")
            assert await read_all(storage, "c/t/a b$c+d=é") == b"odd"
        finally:
            await storage.close()

    @pytest.mark.parametrize(
        "keys",
        [
            pytest.param(
                lambda k: S3Credentials(k.access_key_id, "wrong", k.session_token), id="wrong-secret"
            ),
            pytest.param(
                lambda k: S3Credentials(k.access_key_id, k.secret_access_key), id="no-session-token"
            ),
            pytest.param(
                lambda k: S3Credentials(k.access_key_id, k.secret_access_key, "forged"),
                id="wrong-session-token",
            ),
        ],
    )
    async def test_the_server_refuses_what_is_not_signed_with_the_temporary_credentials(
        self, s3_store: S3Store, keys: CredentialsChange
    ) -> None:
        refused, allowed = s3_store.storage(credentials=keys(s3_store.credentials)), s3_store.storage()
        try:
            with pytest.raises(S3StorageError):
                await refused.put("c/t/refused", stream(b"no"), "text/plain")
            with pytest.raises(S3StorageError):
                await refused.open("c/t/a")
            with pytest.raises(StoredObjectMissing):
                await allowed.open("c/t/refused")
        finally:
            await refused.close()
            await allowed.close()
