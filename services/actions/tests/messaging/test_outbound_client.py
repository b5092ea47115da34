"""The runner's outbound client: its connections sharded over several small pools, every call
still bounded by the whole pool's limit and still pinned to the checked address."""

import asyncio

import httpcore
import httpx
import pytest

from actions.runner.client import OutboundClient
from actions.runner.guard import Target

from ..conftest import Receiver


def target(receiver: Receiver, path: str, host: str = "127.0.0.1") -> Target:
    return Target(httpx.URL(f"http://{host}:{receiver.port}{path}"), host, receiver.port, "127.0.0.1")


async def overlapping_calls(client: OutboundClient, receiver: Receiver, tag: str, calls: int) -> list[int]:
    answers = await asyncio.gather(
        *(client.post(target(receiver, f"/gauge/{tag}/300"), b"{}", {}, 10.0) for _ in range(calls))
    )
    return [answer.status for answer in answers]


class TestShardedPools:
    async def test_calls_spread_over_the_pools_run_at_once(self, receiver: Receiver) -> None:
        # Three pools of four: twelve calls overlap, which no single pool of four would allow.
        client = OutboundClient(
            max_connections=12, max_keepalive=6, max_response_bytes=1000, calls_per_pool=4
        )
        assert client.pools == 3
        try:
            assert await overlapping_calls(client, receiver, "spread", 12) == [200] * 12
        finally:
            await client.aclose()
        assert receiver.peak["spread"] == 12

    async def test_the_whole_limit_still_holds(self, receiver: Receiver) -> None:
        client = OutboundClient(max_connections=8, max_keepalive=4, max_response_bytes=1000, calls_per_pool=4)
        try:
            assert await overlapping_calls(client, receiver, "capped", 20) == [200] * 20
        finally:
            await client.aclose()
        assert receiver.peak["capped"] == 8

    async def test_every_pool_connects_only_to_the_checked_address(self, receiver: Receiver) -> None:
        client = OutboundClient(max_connections=8, max_keepalive=4, max_response_bytes=1000, calls_per_pool=2)
        unchecked = Target(
            httpx.URL(f"http://localhost:{receiver.port}/echo"), "127.0.0.1", receiver.port, "127.0.0.1"
        )
        try:
            for _ in range(4):  # one per pool, each refused
                with pytest.raises((httpx.ConnectError, httpcore.ConnectError)):
                    await client.post(unchecked, b"{}", {}, 5.0)
        finally:
            await client.aclose()
