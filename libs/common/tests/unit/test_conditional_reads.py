"""Reading a conditional read's headers: If-None-Match's tags and Prefer's wait."""

import pytest

from common.web import entity_tags, preferred_wait


class TestEntityTags:
    def test_lists_every_tag_and_compares_weak_ones_as_strong(self) -> None:
        assert entity_tags('"a", W/"b" ,"c"') == {'"a"', '"b"', '"c"'}

    @pytest.mark.parametrize("header", [None, "", " , "])
    def test_no_tags(self, header: str | None) -> None:
        assert entity_tags(header) == frozenset()


class TestPreferredWait:
    @pytest.mark.parametrize(
        ("header", "seconds"),
        [
            ("wait=10", 10.0),
            ("respond-async, wait=2.5", 2.5),
            ('Wait="3"', 3.0),
            ("wait=3; foo=bar", 3.0),
            ("wait=600", 20.0),
            ("wait=-1", 0.0),
            ("wait=inf", 20.0),
        ],
    )
    def test_reads_the_wait_within_the_longest(self, header: str, seconds: float) -> None:
        assert preferred_wait(header, 20.0) == seconds

    @pytest.mark.parametrize("header", [None, "", "return=minimal", "wait=soon", "wait=nan", "wait="])
    def test_asks_for_no_wait(self, header: str | None) -> None:
        assert preferred_wait(header, 20.0) == 0.0
