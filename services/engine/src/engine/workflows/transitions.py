"""Choosing the transition that leaves a task: pure logic, no I/O."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from common.expressions import ExpressionError
from contracts.definitions import OutcomeSpec


class DecisionOutcome(StrEnum):
    TRANSITION = "transition"
    COMPLETED = "completed"
    INCIDENT = "incident"


@dataclass(frozen=True)
class Transition:
    from_task: str
    to_task: str
    condition: str | None
    priority: int
    position: int
    # The resolution when the workflow ends at `to_task` through this transition.
    outcome: OutcomeSpec | None = None


@dataclass(frozen=True)
class ConditionTried:
    to_task: str
    condition: str | None
    priority: int
    value: Any = None
    holds: bool = False
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "to_task": self.to_task,
            "condition": self.condition,
            "priority": self.priority,
            "value": self.value,
            "holds": self.holds,
            "error": self.error,
        }


@dataclass(frozen=True)
class TransitionChoice:
    outcome: DecisionOutcome
    to_task: str | None
    reason: str
    tried: list[ConditionTried] = field(default_factory=list)


def in_priority_order(transitions: Sequence[Transition]) -> list[Transition]:
    """Highest priority first; ties keep the order of the definition."""
    return sorted(transitions, key=lambda t: (-t.priority, t.position))


def choose_transition(
    from_task: str,
    transitions: Sequence[Transition],
    evaluate: Callable[[str], Any],
    truthy: Callable[[Any], bool],
) -> TransitionChoice:
    """The first outgoing transition whose condition holds (no condition always holds). No
    outgoing transition ends the workflow; transitions that exist but none holds, or a
    condition that fails, is an incident: the engine never guesses."""
    outgoing = in_priority_order([t for t in transitions if t.from_task == from_task])
    if not outgoing:
        return TransitionChoice(DecisionOutcome.COMPLETED, None, f"'{from_task}' has no outgoing transition")
    tried: list[ConditionTried] = []
    for transition in outgoing:
        if transition.condition is None or not transition.condition.strip():
            tried.append(ConditionTried(transition.to_task, None, transition.priority, True, True))
            return TransitionChoice(
                DecisionOutcome.TRANSITION,
                transition.to_task,
                f"unconditional transition to '{transition.to_task}'",
                tried,
            )
        try:
            value = evaluate(transition.condition)
        except ExpressionError as exc:
            tried.append(
                ConditionTried(transition.to_task, transition.condition, transition.priority, error=str(exc))
            )
            return TransitionChoice(
                DecisionOutcome.INCIDENT,
                None,
                f"condition to '{transition.to_task}' failed to evaluate: {exc}",
                tried,
            )
        holds = truthy(value)
        tried.append(
            ConditionTried(transition.to_task, transition.condition, transition.priority, value, holds)
        )
        if holds:
            return TransitionChoice(
                DecisionOutcome.TRANSITION,
                transition.to_task,
                f"condition `{transition.condition}` holds; to '{transition.to_task}'",
                tried,
            )
    return TransitionChoice(
        DecisionOutcome.INCIDENT,
        None,
        f"none of the {len(outgoing)} conditions leaving '{from_task}' holds",
        tried,
    )
