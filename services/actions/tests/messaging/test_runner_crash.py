"""Runner processes on the real broker: one is SIGKILLed mid-backlog, and still every action
gets exactly one result."""

import asyncio
import time

import pytest

from bench.actions_scaleout import SlowEndpoint, fleet_on_fresh_database


@pytest.mark.slow
def test_a_runner_killed_mid_backlog_loses_no_action_and_duplicates_no_result() -> None:
    endpoint = SlowEndpoint(delay_ms=100)
    try:
        with fleet_on_fresh_database() as fleet:
            fleet.start(2)
            ids = asyncio.run(fleet.enqueue(endpoint.url, 40))
            deadline = time.monotonic() + 120
            while asyncio.run(fleet.finished(ids)) < 8:
                assert time.monotonic() < deadline, "the runners did not start on the backlog"
                time.sleep(0.05)

            fleet.kill_one()

            asyncio.run(fleet.wait_finished(ids, 180))
            results = asyncio.run(fleet.results_per_request(ids))
    finally:
        endpoint.close()

    assert {request: types for request, types in results.items() if types != ["action.succeeded"]} == {}
    # A call cut off by the kill is made again, under the same idempotency key.
    assert set(endpoint.calls) == {str(i) for i in ids}


@pytest.mark.slow
def test_a_runner_killed_with_calls_in_flight_loses_none_and_the_retry_carries_the_same_key() -> None:
    endpoint = SlowEndpoint(delay_ms=4000)
    try:
        with fleet_on_fresh_database() as fleet:
            fleet.start(1)
            ids = asyncio.run(fleet.enqueue(endpoint.url, 12))
            deadline = time.monotonic() + 120
            # Every call is under way (the endpoint takes 4 s to answer any of them).
            while len(endpoint.calls) < len(ids):
                assert time.monotonic() < deadline, "the runner did not put the calls in flight"
                time.sleep(0.05)

            fleet.kill_one()
            fleet.start(1)

            asyncio.run(fleet.wait_finished(ids, 180))
            results = asyncio.run(fleet.results_per_request(ids))
    finally:
        endpoint.close()

    assert {request: types for request, types in results.items() if types != ["action.succeeded"]} == {}
    # The job of each cut-off call was taken again when its lease ran out, and the receiver saw
    # the one call again under the key it already knew.
    assert set(endpoint.calls) == {str(i) for i in ids}
    assert set(endpoint.calls.values()) == {2}
