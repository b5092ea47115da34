"""Handing out the least busy of several pools."""

import pytest

from common.pools import LeastBusy


def test_requests_one_after_another_keep_to_the_first_pool() -> None:
    pools = LeastBusy(["a", "b", "c"], per_item=2)
    for _ in range(3):
        with pools.take() as pool:
            assert pool == "a"


def test_a_full_pool_sends_the_next_request_to_the_next() -> None:
    pools = LeastBusy(["a", "b"], per_item=2)
    with pools.take() as first, pools.take() as second, pools.take() as third:
        assert (first, second, third) == ("a", "a", "b")


def test_when_every_pool_is_full_the_least_busy_takes_it() -> None:
    pools = LeastBusy(["a", "b"], per_item=1)
    with pools.take(), pools.take(), pools.take() as third:
        assert third == "a"
        with pools.take() as fourth:
            assert fourth == "b"


def test_a_request_that_fails_gives_its_place_back() -> None:
    pools = LeastBusy(["a", "b"], per_item=1)
    with pytest.raises(RuntimeError), pools.take():
        raise RuntimeError("the call failed")
    with pools.take() as pool:
        assert pool == "a"


def test_there_is_at_least_one_pool() -> None:
    with pytest.raises(ValueError):
        LeastBusy([], per_item=1)
