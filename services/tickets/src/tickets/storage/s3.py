import hashlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import quote, urlsplit

import httpx

from tickets.storage.port import StoredObjectMissing
from tickets.storage.sigv4 import EMPTY_PAYLOAD_SHA256, Credentials, sign


class S3StorageError(Exception):
    pass


class S3Storage:
    """Objects in a bucket of an S3-compatible store, addressed path-style
    (`<endpoint>/<bucket>/<key>`), which AWS and the self-hosted stores all accept."""

    def __init__(
        self,
        endpoint_url: str,
        bucket: str,
        credentials: Credentials,
        *,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.endpoint_url = endpoint_url.rstrip("/")
        self.bucket = bucket
        self.credentials = credentials
        self.client = client or httpx.AsyncClient(timeout=httpx.Timeout(30.0))

    def url_of(self, key: str) -> str:
        return f"{self.endpoint_url}/{quote(self.bucket, safe='')}/{quote(key, safe='/')}"

    def signed_headers(
        self, method: str, url: str, payload_sha256: str, extra: dict[str, str] | None = None
    ) -> dict[str, str]:
        host = urlsplit(url).netloc
        return sign(
            method, url, {"host": host, **(extra or {})}, payload_sha256, self.credentials, datetime.now(UTC)
        )

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        url = self.url_of(key)
        headers = self.signed_headers(
            "PUT", url, hashlib.sha256(data).hexdigest(), {"content-type": content_type}
        )
        response = await self.client.put(url, content=data, headers=headers)
        if response.status_code >= 300:
            raise S3StorageError(f"PUT {key}: {response.status_code} {response.text[:300]}")

    async def open(self, key: str) -> AsyncIterator[bytes]:
        url = self.url_of(key)
        request = self.client.build_request(
            "GET", url, headers=self.signed_headers("GET", url, EMPTY_PAYLOAD_SHA256)
        )
        response = await self.client.send(request, stream=True)
        if response.status_code == 404:
            await response.aclose()
            raise StoredObjectMissing(key)
        if response.status_code >= 300:
            await response.aclose()
            raise S3StorageError(f"GET {key}: {response.status_code}")
        return _body(response)

    async def delete(self, key: str) -> None:
        url = self.url_of(key)
        response = await self.client.delete(
            url, headers=self.signed_headers("DELETE", url, EMPTY_PAYLOAD_SHA256)
        )
        if response.status_code >= 300 and response.status_code != 404:
            raise S3StorageError(f"DELETE {key}: {response.status_code}")


async def _body(response: httpx.Response) -> AsyncIterator[bytes]:
    try:
        async for chunk in response.aiter_bytes():
            yield chunk
    finally:
        await response.aclose()
