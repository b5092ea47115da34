"""Routing `/api/<service>/...` to the services.

Small bodies are buffered both ways and forwarded with a Content-Length, so a service sees a
plain request and a client never receives half an answer as if it were whole: an upstream
response that breaks before its end becomes a 502. Large bodies (uploads, downloads) stream;
a download cut mid-body aborts the client's connection, so the client sees a truncated
response, never a clean end.
"""

import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_to_bytes

import httpx
from fastapi import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from common.errors import problem_response
from common.pools import LeastBusy
from gateway.middleware import BodyTooLarge

log = logging.getLogger(__name__)

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
}
# Set by the gateway alone: a client's values would let it choose its own address or trace.
GATEWAY_SET = {
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "forwarded",
    "x-real-ip",
    "traceparent",
}
# The one `x-tf-*` header a client sends on purpose: the SPA's anti-CSRF marker on cookie calls.
CLIENT_TF_HEADERS = {"x-tf-csrf"}
# Bodies up to this size are read whole before they are passed on (both directions).
BUFFER_BYTES = 256 * 1024
# Methods a client may repeat without changing the effect (RFC 9110, 9.2.2).
IDEMPOTENT = {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"}
RETRY_AFTER_SECONDS = "5"
NO_BODY_STATUSES = {204, 304}


class BadPath(ValueError):
    pass


def upstream_target(scope: Scope) -> bytes:
    """The request target exactly as the client sent it (still percent-encoded), checked.

    The decoded path is only used for routing; the upstream gets the raw bytes, so no
    character the decoding produced can break the URL. A path that does not decode to UTF-8
    text, that holds a control character, or that has dot segments (which an HTTP client
    would fold into another route) is refused."""
    # Some ASGI servers leave the query on raw_path; it is taken from query_string alone.
    raw: bytes = (scope.get("raw_path") or scope["path"].encode()).split(b"?", 1)[0]
    if not raw.startswith(b"/") or any(b <= 0x20 or b >= 0x7F for b in raw):
        raise BadPath("The path holds characters that are not allowed in a URL.")
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadPath("The path is not valid percent-encoded UTF-8.") from exc
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in decoded):
        raise BadPath("The path holds a control character.")
    if any(segment in (".", "..") for segment in decoded.split("/")):
        raise BadPath("The path holds '.' or '..' segments.")
    query: bytes = scope.get("query_string", b"")
    if any(b < 0x20 or b >= 0x7F for b in query):
        raise BadPath("The query string holds characters that are not allowed in a URL.")
    return raw + (b"?" + query if query else b"")


def forwardable_headers(request: Request, extra: dict[str, str]) -> list[tuple[str, str]]:
    """Client headers minus hop-by-hop ones, minus every internal `x-tf-*` header (a client
    can never speak for the gateway) and minus the forwarding headers, plus what the gateway
    adds."""
    headers = [
        (k, v)
        for k, v in request.headers.items()
        if k.lower() not in HOP_BY_HOP
        and k.lower() not in GATEWAY_SET
        and (not k.lower().startswith("x-tf-") or k.lower() in CLIENT_TF_HEADERS)
    ]
    headers.extend(extra.items())
    return headers


async def _request_body(request: Request) -> bytes | AsyncIterator[bytes]:
    """The whole body when it is small, else a stream that starts with what was read."""
    chunks: list[bytes] = []
    size = 0
    stream = request.stream()
    async for chunk in stream:
        chunks.append(chunk)
        size += len(chunk)
        if size > BUFFER_BYTES:
            break
    else:
        return b"".join(chunks)

    async def rest() -> AsyncIterator[bytes]:
        for chunk in chunks:
            yield chunk
        async for chunk in stream:
            yield chunk

    return rest()


@dataclass
class _Trace:
    """What httpcore did for one request: whether it opened a connection, and how far the
    request got before failing."""

    connected: bool = False
    events: list[str] = field(default_factory=list)

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        if name.startswith("connection.connect_tcp"):
            self.connected = True
        self.events.append(name)

    def failed_while_sending(self) -> bool:
        return any(
            e in ("http11.send_request_headers.failed", "http11.send_request_body.failed")
            for e in self.events
        )


def _retryable(method: str, body: bytes | AsyncIterator[bytes], trace: _Trace, exc: Exception) -> bool:
    """A connection taken from the pool that the service had already closed: the request never
    reached it, or reached it only when repeating it is harmless. Only then is it sent again,
    once, on a fresh connection."""
    if trace.connected or not isinstance(body, bytes):
        return False
    if not isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return False
    return method in IDEMPOTENT or trace.failed_while_sending()


def _bad_gateway(path: str, detail: str) -> Response:
    return problem_response(
        502,
        "Bad gateway",
        detail,
        type_slug="bad-gateway",
        instance=path,
        headers={"connection": "close"},
    )


def _unavailable(path: str) -> Response:
    return problem_response(
        503,
        "Service unavailable",
        "The service cannot be reached right now; try again shortly.",
        type_slug="service-unavailable",
        instance=path,
        headers={"retry-after": RETRY_AFTER_SECONDS},
    )


@dataclass
class Upstream:
    """A service as the proxy reaches it: its base URL (parsed once) and its own connection
    pools. Requests go straight to a pool's transport: a proxied request needs none of what
    the client adds (cookies, which a shared client must never keep, redirects, auth, default
    headers such as an Accept-Encoding the caller did not send, a log line per request).

    Each service gets several small pools rather than one large one (see `common.pools`)."""

    base: httpx.URL
    transports: tuple[httpx.AsyncBaseTransport, ...]
    timeout: httpx.Timeout
    per_pool: int = 4
    _pools: LeastBusy[httpx.AsyncBaseTransport] = field(init=False)

    def __post_init__(self) -> None:
        self._pools = LeastBusy(self.transports, self.per_pool)

    def pool(self) -> contextlib.AbstractContextManager[httpx.AsyncBaseTransport]:
        return self._pools.take()


def upstream_url(upstream: Upstream, request: Request) -> httpx.URL | Response:
    """Where the request goes, or the 400 for a path that cannot be forwarded."""
    try:
        return upstream.base.copy_with(raw_path=upstream_target(request.scope))
    except (BadPath, httpx.InvalidURL) as exc:
        return problem_response(
            400, "Bad request", str(exc), type_slug="bad-request", instance=request.url.path
        )


async def forward(
    upstream: Upstream, url: httpx.URL, request: Request, extra_headers: dict[str, str]
) -> Response:
    """Send the request to `url` (on `upstream`) and answer with what the service said."""
    path = request.url.path
    service = f"{url.scheme}://{url.netloc.decode()}"
    timeout = upstream.timeout.as_dict()
    try:
        body = await _request_body(request)
    except BodyTooLarge as exc:
        return problem_response(
            413, "Payload too large", str(exc), type_slug="payload-too-large", instance=path
        )
    headers = forwardable_headers(request, extra_headers)
    declared = request.headers.get("content-length")
    if not isinstance(body, bytes) and declared is not None:
        # A streamed body of known size goes on with its size, not re-chunked.
        headers.append(("content-length", declared))
    with upstream.pool() as transport:
        for attempt in (1, 2):
            trace = _Trace()
            upstream_request = httpx.Request(
                request.method,
                url,
                headers=headers,
                content=body,
                extensions={"trace": trace, "timeout": timeout},
            )
            try:
                upstream_response = await transport.handle_async_request(upstream_request)
                upstream_response.request = upstream_request
                break
            except BodyTooLarge as exc:
                return problem_response(
                    413, "Payload too large", str(exc), type_slug="payload-too-large", instance=path
                )
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                log.warning("upstream %s unreachable: %r", service, exc)
                return _unavailable(path)
            except httpx.TimeoutException:
                return problem_response(
                    504,
                    "Gateway timeout",
                    "The service did not answer in time.",
                    type_slug="gateway-timeout",
                    instance=path,
                )
            except httpx.TransportError as exc:
                if attempt == 1 and _retryable(request.method, body, trace, exc):
                    log.info("upstream %s had closed a pooled connection; sending again", service)
                    continue
                log.warning("upstream %s failed before answering: %r", service, exc)
                return _bad_gateway(path, "The service closed the connection without answering.")
        return await _relay(upstream_response, request.method, path)


async def _relay(upstream_response: httpx.Response, method: str, path: str) -> Response:
    status = upstream_response.status_code
    # raw_headers keeps repeated headers (several Set-Cookie) that a dict would merge.
    headers = [
        (k.lower(), v)
        for k, v in upstream_response.headers.raw
        if k.lower().decode("latin-1") not in HOP_BY_HOP and k.lower() != b"x-request-id"
    ]
    declared = upstream_response.headers.get("content-length")
    if method == "HEAD" or status in NO_BODY_STATUSES:
        await upstream_response.aclose()
        if declared is not None:
            headers.append((b"content-length", declared.encode("latin-1")))
        return _Complete(status, headers, None)
    chunks = upstream_response.aiter_raw()
    first: list[bytes] = []
    size = 0
    try:
        if declared is None or (declared.isdigit() and int(declared) <= BUFFER_BYTES):
            async for chunk in chunks:
                first.append(chunk)
                size += len(chunk)
                if size > BUFFER_BYTES:
                    break
            else:
                await upstream_response.aclose()
                body = b"".join(first)
                if declared is not None and declared != str(len(body)):
                    raise httpx.RemoteProtocolError(f"received {len(body)} bytes, expected {declared}")
                return _Complete(status, headers, body)
    except httpx.HTTPError as exc:
        await upstream_response.aclose()
        log.warning("the response from upstream broke before its end: %r", exc)
        return _bad_gateway(path, "The service's answer broke off before its end.")
    if declared is not None:
        headers.append((b"content-length", declared.encode("latin-1")))
    return _Streamed(status, headers, first, chunks, upstream_response)


class _Complete(Response):
    """A response read whole from the service, sent with its length."""

    def __init__(self, status: int, headers: list[tuple[bytes, bytes]], body: bytes | None) -> None:
        """`body` None: a response that has no body (HEAD, 204, 304), headers as they came."""
        self.status_code = status
        self.raw_headers = (
            headers if body is None else [*headers, (b"content-length", str(len(body)).encode())]
        )
        self.body = body or b""
        self.background = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})


class _Streamed(Response):
    """A large response passed on as it arrives. When the service's answer breaks off, the
    response is left unfinished: the server then closes the client's connection, so the
    client sees a cut download (short of its Content-Length, or without the final chunk)."""

    def __init__(
        self,
        status: int,
        headers: list[tuple[bytes, bytes]],
        first: list[bytes],
        rest: AsyncIterator[bytes],
        upstream_response: httpx.Response,
    ) -> None:
        self.status_code = status
        self.raw_headers = headers
        self.background = None
        self.first = first
        self.rest = rest
        self.upstream_response = upstream_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await send(
                {"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers}
            )
            for chunk in self.first:
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            try:
                async for chunk in self.rest:
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
            except httpx.HTTPError as exc:
                log.warning("a streamed response from upstream broke off: %r", exc)
                return
            await send({"type": "http.response.body", "body": b""})
        finally:
            await self.upstream_response.aclose()
