"""A service's connection pools: calls one after another stay on the first pool (one warm
connection), concurrent calls spread once a pool has its share in flight."""

import contextlib

import httpx

from gateway.proxy import Upstream


def upstream(pools: int, per_pool: int) -> Upstream:
    transports = tuple(httpx.MockTransport(lambda request: httpx.Response(200)) for _ in range(pools))
    return Upstream(httpx.URL("http://127.0.0.1:8001"), transports, httpx.Timeout(5.0), per_pool=per_pool)


def test_calls_one_after_another_keep_to_the_first_pool() -> None:
    service = upstream(pools=3, per_pool=2)
    for _ in range(5):
        with service.pool() as transport:
            assert transport is service.transports[0]


def test_concurrent_calls_spread_once_a_pool_has_its_share_and_then_go_to_the_least_busy() -> None:
    service = upstream(pools=2, per_pool=2)
    with contextlib.ExitStack() as stack:
        taken = [stack.enter_context(service.pool()) for _ in range(5)]
        first, second = service.transports
        assert taken == [first, first, second, second, first]
    with service.pool() as transport:
        assert transport is first
