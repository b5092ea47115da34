"""Choosing the transition that leaves a task."""

from typing import Any

from common.expressions import ExpressionLimits, evaluate_text, holds
from engine.workflows.transitions import DecisionOutcome, Transition, TransitionChoice, choose_transition

LIMITS = ExpressionLimits(timeout_ms=200, max_depth=100)


def decide(transitions: list[Transition], data: dict[str, Any], from_task: str = "a") -> TransitionChoice:
    return choose_transition(from_task, transitions, lambda e: evaluate_text(e, data, LIMITS), holds)


def t(to: str, condition: str | None, priority: int = 0, position: int = 0) -> Transition:
    return Transition("a", to, condition, priority, position)


class TestChooseTransition:
    def test_highest_priority_holding_condition_wins(self) -> None:
        choice = decide([t("low", "true", 1, 0), t("high", "amount > 10", 5, 1)], {"amount": 20})
        assert choice.outcome is DecisionOutcome.TRANSITION
        assert choice.to_task == "high"
        assert [c.to_task for c in choice.tried] == ["high"]

    def test_falls_through_to_next_priority_when_condition_is_false(self) -> None:
        choice = decide([t("low", None, 1, 0), t("high", "amount > 10", 5, 1)], {"amount": 3})
        assert choice.to_task == "low"
        assert [(c.to_task, c.value, c.holds) for c in choice.tried] == [
            ("high", False, False),
            ("low", True, True),
        ]

    def test_ties_go_to_definition_order(self) -> None:
        choice = decide([t("second", "true", 2, 1), t("first", "true", 2, 0)], {})
        assert choice.to_task == "first"

    def test_no_outgoing_transition_completes_the_workflow(self) -> None:
        choice = decide([Transition("other", "x", None, 0, 0)], {})
        assert choice.outcome is DecisionOutcome.COMPLETED
        assert choice.to_task is None

    def test_transitions_that_all_fail_raise_an_incident(self) -> None:
        choice = decide([t("b", "amount > 10", 0, 0), t("c", "amount < 0", 0, 1)], {"amount": 5})
        assert choice.outcome is DecisionOutcome.INCIDENT
        assert len(choice.tried) == 2
        assert "none of the 2 conditions" in choice.reason

    def test_missing_field_does_not_hold(self) -> None:
        choice = decide([t("b", "approved = true", 1, 0), t("c", None, 0, 1)], {})
        assert choice.to_task == "c"
        assert choice.tried[0].holds is False

    def test_condition_error_is_an_incident_not_a_guess(self) -> None:
        choice = decide([t("b", "$undefinedFn(1)", 1, 0), t("c", None, 0, 1)], {})
        assert choice.outcome is DecisionOutcome.INCIDENT
        assert choice.tried[0].error

    def test_every_condition_tried_is_recorded_with_its_value(self) -> None:
        choice = decide([t("b", "amount", 2, 0), t("c", "amount * 2", 1, 1)], {"amount": 0})
        assert [c.as_dict()["value"] for c in choice.tried] == [0, 0]
        assert choice.outcome is DecisionOutcome.INCIDENT
