import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from botocore.auth import EMPTY_SHA256_HASH, S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from tickets.storage.local import LocalFileStorage
from tickets.storage.port import StoredObjectMissing

from ..tickets_test_support import TooLarge, failing_after, stream


def files_under(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


class TestSigV4:
    def test_the_sdk_signer_matches_the_published_get_object_example(self) -> None:
        # The GET Object example of AWS's "Signature Calculations for the Authorization Header"
        # (Amazon S3 API reference), with its published signature, signed by the signer the
        # store's client uses.
        request = AWSRequest(
            method="GET",
            url="https://examplebucket.s3.amazonaws.com/test.txt",
            headers={"Range": "bytes=0-9"},
        )
        signer = S3SigV4Auth(
            Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "s3",
            "us-east-1",
        )
        with time_machine.travel(datetime(2013, 5, 24, tzinfo=UTC), tick=False):
            signer.add_auth(request)
        assert request.headers["Authorization"] == (
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        assert request.headers["x-amz-date"] == "20130524T000000Z"
        assert request.headers["x-amz-content-sha256"] == EMPTY_SHA256_HASH


class TestLocalFileStorage:
    async def test_round_trip(self, tmp_path: Path) -> None:
        storage = LocalFileStorage(tmp_path)
        await storage.put("c/t/a", stream(b"x" * 100_000, b"x" * 100_000), "application/pdf")
        chunks = [chunk async for chunk in await storage.open("c/t/a")]
        assert b"".join(chunks) == b"x" * 200_000
        await storage.delete("c/t/a")
        with pytest.raises(StoredObjectMissing):
            await storage.open("c/t/a")

    async def test_a_stream_that_fails_midway_leaves_nothing(self, tmp_path: Path) -> None:
        storage = LocalFileStorage(tmp_path)
        with pytest.raises(TooLarge):
            await storage.put("c/t/a", failing_after([b"x" * 1000] * 3), "application/pdf")
        with pytest.raises(StoredObjectMissing):
            await storage.open("c/t/a")
        assert await asyncio.to_thread(files_under, tmp_path) == []

    async def test_keys_cannot_leave_the_directory(self, tmp_path: Path) -> None:
        storage = LocalFileStorage(tmp_path / "root")
        for key in ("../escape", "/abs", "a/../../b", ""):
            with pytest.raises(ValueError, match="unsafe"):
                await storage.put(key, stream(b"x"), "text/plain")
