"""The one pooled outbound HTTP client of a runner, connecting only to checked addresses."""

import asyncio
import contextvars
import math
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass

import httpcore
import httpx

from actions.runner.guard import Target
from common import network
from common.pools import LeastBusy

# Calls sharing one connection pool; past a few dozen, the pool's own bookkeeping per request
# costs more than the call.
CALLS_PER_POOL = 8

_PINNED: contextvars.ContextVar[Target | None] = contextvars.ContextVar("pinned_target", default=None)


class PinnedBackend(network.AsyncioBackend):
    """Opens TCP connections only to the address the guard checked for the host being called.
    The pool still keys connections by host name, so TLS SNI and certificate checks use the
    name, while the socket goes to the checked address (on the loop's own transports:
    `common.network`). Unix sockets are refused, as by the base."""

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        target = _PINNED.get()
        if target is None or target.host != host.lower().rstrip(".") or target.port != port:
            raise httpcore.ConnectError(f"refusing to connect to unchecked host {host}:{port}")
        return await network.connect_tcp(
            target.address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )


@dataclass(frozen=True)
class CallResponse:
    status: int
    headers: httpx.Headers
    body: bytes
    truncated: bool
    elapsed: float


class OutboundClient:
    """The runner's connections, over several small pools (`common.pools`): with a hundred calls
    in flight, one large pool spent more time walking its own connections than calling."""

    def __init__(
        self,
        *,
        max_connections: int,
        max_keepalive: int,
        max_response_bytes: int,
        calls_per_pool: int = CALLS_PER_POOL,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """`ssl_context`: the certificates HTTPS targets are checked against (by default the
        public authorities httpx trusts)."""
        shards = max(1, math.ceil(max_connections / calls_per_pool))
        limits = httpx.Limits(
            max_connections=math.ceil(max_connections / shards),
            max_keepalive_connections=max(1, math.ceil(max_keepalive / shards)),
        )
        self.max_response_bytes = max_response_bytes
        context = ssl_context or httpx.create_ssl_context(trust_env=False)
        self._clients = LeastBusy(
            [
                httpx.AsyncClient(
                    transport=network.AsyncioTransport(
                        limits, ssl_context=context, network_backend=PinnedBackend()
                    ),
                    follow_redirects=False,
                    trust_env=False,
                )
                for _ in range(shards)
            ],
            calls_per_pool,
        )

    @property
    def pools(self) -> int:
        return len(self._clients.items)

    async def post(
        self, target: Target, body: bytes, headers: dict[str, str], seconds: float
    ) -> CallResponse:
        """One POST to the checked target. The whole exchange is bounded by `seconds` (httpx's
        own timeouts are per read, which a slowly dripping server would stretch), and the
        body is read only up to the size limit."""
        token = _PINNED.set(target)
        started = time.perf_counter()
        try:
            with self._clients.take() as client:
                return await self._post(client, target, body, headers, seconds, started)
        finally:
            _PINNED.reset(token)

    async def _post(
        self,
        client: httpx.AsyncClient,
        target: Target,
        body: bytes,
        headers: dict[str, str],
        seconds: float,
        started: float,
    ) -> CallResponse:
        async with asyncio.timeout(seconds):
            async with client.stream(
                "POST", target.url, content=body, headers=headers, timeout=httpx.Timeout(seconds)
            ) as response:
                chunks: list[bytes] = []
                size = 0
                truncated = False
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.max_response_bytes:
                        truncated = True
                        break
                return CallResponse(
                    status=response.status_code,
                    headers=response.headers,
                    body=b"".join(chunks)[: self.max_response_bytes],
                    truncated=truncated,
                    elapsed=time.perf_counter() - started,
                )

    async def aclose(self) -> None:
        for client in self._clients.items:
            await client.aclose()
