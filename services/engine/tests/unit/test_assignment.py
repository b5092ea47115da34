"""Choosing the assignee of a FORM task."""

from datetime import UTC, datetime, timedelta

from contracts.ids import uuid7
from engine.workers.assignment import AssignmentStrategy, Candidate, choose_assignee

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def c(name: str, open_tasks: int, minutes_ago: int | None) -> Candidate:
    last = None if minutes_ago is None else NOW - timedelta(minutes=minutes_ago)
    return Candidate(uuid7(), name, open_tasks, last)


class TestShortestQueue:
    def test_fewest_open_tasks_wins(self) -> None:
        ann, bob = c("Ann", 3, 1), c("Bob", 1, 0)
        choice = choose_assignee([ann, bob])
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert choice.reason["tie_break"] is None
        assert {x["name"]: x["open_tasks"] for x in choice.reason["compared"]} == {"Ann": 3, "Bob": 1}

    def test_tie_goes_to_least_recently_assigned(self) -> None:
        ann, bob = c("Ann", 2, 5), c("Bob", 2, 30)
        choice = choose_assignee([ann, bob])
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert "2 workers had 2 open tasks" in choice.reason["tie_break"]

    def test_never_assigned_counts_as_least_recent(self) -> None:
        ann, bob = c("Ann", 0, 1), c("Bob", 0, None)
        choice = choose_assignee([ann, bob])
        assert choice is not None
        assert choice.user_id == bob.user_id

    def test_nobody_available_gives_none(self) -> None:
        assert choose_assignee([]) is None


class TestRoundRobin:
    def test_least_recently_assigned_wins_whatever_the_load(self) -> None:
        ann, bob = c("Ann", 0, 1), c("Bob", 9, 60)
        choice = choose_assignee([ann, bob], AssignmentStrategy.ROUND_ROBIN)
        assert choice is not None
        assert choice.user_id == bob.user_id
        assert choice.reason["strategy"] == "round_robin"
