"""The pure walk over a workflow's conditions."""

from typing import Any

import pytest

from definitions.workflow_walk import WalkOutcome, WalkTask, WalkTransition, walk

TASKS = [WalkTask(k, k.title(), "FORM") for k in ("a", "b", "c", "d")]


def transition(
    src: str, dst: str, condition: str | None = None, priority: int = 0, position: int = 0
) -> WalkTransition:
    return WalkTransition(src, dst, condition, priority, position)


class TestWalk:
    def test_no_outgoing_transition_ends_the_workflow(self) -> None:
        result = walk("a", TASKS, [transition("a", "b")], {})

        assert result.outcome is WalkOutcome.COMPLETED
        assert result.path == ["a", "b"]

    def test_highest_priority_is_tried_first(self) -> None:
        transitions = [transition("a", "b", "true", 1, 0), transition("a", "c", "true", 5, 1)]

        assert walk("a", TASKS, transitions, {}).path == ["a", "c"]

    def test_ties_go_in_definition_order(self) -> None:
        transitions = [transition("a", "c", "true", 0, 0), transition("a", "b", "true", 0, 1)]

        assert walk("a", TASKS, transitions, {}).path == ["a", "c"]

    def test_first_condition_that_holds_wins_and_later_ones_are_not_evaluated(self) -> None:
        transitions = [
            transition("a", "b", "x > 5", 2, 0),
            transition("a", "c", "x > 1", 1, 1),
            transition("a", "d", None, 0, 2),
        ]

        result = walk("a", TASKS, transitions, {"x": 3})

        assert result.path == ["a", "c"]
        assert [(c.to_task, c.value, c.holds) for c in result.steps[0].conditions] == [
            ("b", False, False),
            ("c", True, True),
        ]

    def test_none_holding_is_an_incident(self) -> None:
        result = walk("a", TASKS, [transition("a", "b", "x = 1")], {"x": 2})

        assert result.outcome is WalkOutcome.INCIDENT
        assert result.path == ["a"]

    def test_task_outputs_are_merged_when_the_task_is_reached(self) -> None:
        transitions = [
            transition("a", "b"),
            transition("b", "c", "ok = true", 0, 1),
            transition("b", "d", None, -1, 2),
        ]

        result = walk("a", TASKS, transitions, {"ok": False}, {"b": {"ok": True}})

        assert result.path == ["a", "b", "c"]
        assert result.workflow_data == {"ok": True}
        assert result.steps[1].output_applied is True

    def test_failing_condition_is_an_incident_with_its_error(self) -> None:
        result = walk("a", TASKS, [transition("a", "b", "$number('x')")], {})

        assert result.outcome is WalkOutcome.INCIDENT
        assert result.steps[0].conditions[0].error

    def test_loop_stops_at_the_step_limit(self) -> None:
        result = walk("a", TASKS, [transition("a", "b"), transition("b", "a", None, 0, 1)], {}, max_steps=10)

        assert result.outcome is WalkOutcome.STEP_LIMIT
        assert len(result.path) == 10

    @pytest.mark.parametrize(
        ("value", "holds"), [(1, True), (0, False), ("", False), ([], False), ("x", True)]
    )
    def test_jsonata_truthiness(self, value: Any, holds: bool) -> None:
        result = walk(
            "a", TASKS, [transition("a", "b", "v"), transition("a", "c", None, -1, 1)], {"v": value}
        )

        assert result.steps[0].conditions[0].holds is holds

    def test_runaway_expression_is_stopped(self) -> None:
        forever = "($f := function($n){ $f($n + 1) }; $f(0))"

        result = walk("a", TASKS, [transition("a", "b", forever)], {})

        assert result.outcome is WalkOutcome.INCIDENT
