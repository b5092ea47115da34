from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from tickets.storage.local import LocalFileStorage
from tickets.storage.port import StoredObjectMissing
from tickets.storage.s3 import S3Storage
from tickets.storage.sigv4 import EMPTY_PAYLOAD_SHA256, Credentials, canonical_request, sign

# The GET Object example of AWS's "Signature Calculations for the Authorization Header"
# (Amazon S3 API reference), with its published signature.
AWS_EXAMPLE = Credentials(
    access_key_id="AKIAIOSFODNN7EXAMPLE",
    secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    region="us-east-1",
)
AWS_EXAMPLE_TIME = datetime(2013, 5, 24, tzinfo=UTC)


class TestSigV4:
    def test_matches_the_published_get_object_example(self) -> None:
        headers = sign(
            "GET",
            "https://examplebucket.s3.amazonaws.com/test.txt",
            {"host": "examplebucket.s3.amazonaws.com", "range": "bytes=0-9"},
            EMPTY_PAYLOAD_SHA256,
            AWS_EXAMPLE,
            AWS_EXAMPLE_TIME,
        )
        assert headers["Authorization"] == (
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        assert headers["x-amz-date"] == "20130524T000000Z"

    def test_canonical_request_encodes_path_once_and_sorts_query(self) -> None:
        canonical, signed = canonical_request(
            "put", "https://h/bucket/a b/c$d?z=1&a=x y", {"Host": "h", "X-Amz-Date": " 1  2 "}, "abc"
        )
        assert canonical.split("\n") == [
            "PUT",
            "/bucket/a%20b/c%24d",
            "a=x%20y&z=1",
            "host:h",
            "x-amz-date:1 2",
            "",
            "host;x-amz-date",
            "abc",
        ]
        assert signed == "host;x-amz-date"


class TestS3Storage:
    async def test_puts_signed_requests_path_style(self) -> None:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(200)

        client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        storage = S3Storage("http://minio:9000", "files", AWS_EXAMPLE, client=client)
        await storage.put("c/t/a", b"data", "text/plain")
        request = seen[0]
        assert str(request.url) == "http://minio:9000/files/c/t/a"
        assert request.headers["authorization"].startswith(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/"
        )
        assert "content-type;host;x-amz-content-sha256;x-amz-date" in request.headers["authorization"]
        assert request.content == b"data"

    async def test_a_missing_object_is_reported_before_streaming(self) -> None:
        client = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: httpx.Response(404)))
        storage = S3Storage("http://minio:9000", "files", AWS_EXAMPLE, client=client)
        with pytest.raises(StoredObjectMissing):
            await storage.open("c/t/a")


class TestLocalFileStorage:
    async def test_round_trip(self, tmp_path: Path) -> None:
        storage = LocalFileStorage(tmp_path)
        await storage.put("c/t/a", b"x" * 200_000, "application/pdf")
        chunks = [chunk async for chunk in await storage.open("c/t/a")]
        assert b"".join(chunks) == b"x" * 200_000
        await storage.delete("c/t/a")
        with pytest.raises(StoredObjectMissing):
            await storage.open("c/t/a")

    async def test_keys_cannot_leave_the_directory(self, tmp_path: Path) -> None:
        storage = LocalFileStorage(tmp_path / "root")
        for key in ("../escape", "/abs", "a/../../b", ""):
            with pytest.raises(ValueError, match="unsafe"):
                await storage.put(key, b"x", "text/plain")
