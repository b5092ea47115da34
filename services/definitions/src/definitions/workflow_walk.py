"""Walk a workflow's conditions for sample data, without starting anything.

The same rules the engine follows: transitions leave a task in priority order (highest first,
ties in definition order), the first whose condition holds is taken, a task with no outgoing
transition ends the workflow, and transitions that exist but none holds is an incident.
Outputs given for a task are merged into the workflow data when the walk reaches it, as the
engine merges a completed task's output.
"""

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from common import expressions

MAX_STEPS = 100
# What one walk may spend on expressions in all: each is bounded on its own, but a looping
# walk of many conditions would otherwise hold a worker thread for many bounds in a row.
WALK_BUDGET_MS = 2000


class WalkOutcome(StrEnum):
    COMPLETED = "COMPLETED"
    INCIDENT = "INCIDENT"
    STEP_LIMIT = "STEP_LIMIT"


@dataclass(frozen=True)
class WalkTask:
    key: str
    name: str
    task_type: str


@dataclass(frozen=True)
class WalkTransition:
    from_task: str
    to_task: str
    condition: str | None
    priority: int
    position: int


@dataclass(frozen=True)
class ConditionResult:
    to_task: str
    condition: str | None
    priority: int
    value: Any
    holds: bool
    error: str | None = None


@dataclass(frozen=True)
class WalkStep:
    task_key: str
    task_name: str
    task_type: str
    output_applied: bool
    conditions: list[ConditionResult]
    next_task: str | None


@dataclass(frozen=True)
class WalkResult:
    outcome: WalkOutcome
    steps: list[WalkStep]
    workflow_data: dict[str, Any]
    detail: str = ""
    path: list[str] = field(default_factory=list)


Evaluator = Callable[[str, Any], Any]


def budgeted_evaluator(budget_ms: int = WALK_BUDGET_MS) -> Evaluator:
    """An evaluator whose expressions share one time budget, starting now."""
    deadline = time.monotonic() + budget_ms / 1000
    per_expression = expressions.DEFAULT_LIMITS

    def evaluate(expression: str, data: Any) -> Any:
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            raise expressions.ExpressionError(f"the walk ran past its {budget_ms} ms budget")
        limits = expressions.ExpressionLimits(
            timeout_ms=min(per_expression.timeout_ms, remaining_ms), max_depth=per_expression.max_depth
        )
        return expressions.evaluate_text(expression, data, limits)

    return evaluate


def outgoing_in_order(transitions: Sequence[WalkTransition], task_key: str) -> list[WalkTransition]:
    """The transitions leaving `task_key` in the order they are tried."""
    leaving = [t for t in transitions if t.from_task == task_key]
    return sorted(leaving, key=lambda t: (-t.priority, t.position))


def walk(
    start_task: str,
    tasks: Sequence[WalkTask],
    transitions: Sequence[WalkTransition],
    ticket_data: Mapping[str, Any],
    task_outputs: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    evaluate: Evaluator | None = None,
    max_steps: int = MAX_STEPS,
) -> WalkResult:
    evaluate = evaluate or budgeted_evaluator()
    by_key = {task.key: task for task in tasks}
    outputs = task_outputs or {}
    data: dict[str, Any] = dict(ticket_data)
    steps: list[WalkStep] = []
    current: str | None = start_task
    while current is not None:
        task = by_key.get(current)
        if task is None:
            return _result(WalkOutcome.INCIDENT, steps, data, f"task {current!r} is not in the workflow")
        if len(steps) >= max_steps:
            return _result(
                WalkOutcome.STEP_LIMIT, steps, data, f"stopped after {max_steps} steps; the path loops"
            )
        output = outputs.get(task.key)
        if output is not None:
            data.update(output)
        results: list[ConditionResult] = []
        chosen: str | None = None
        failure: str | None = None
        leaving = outgoing_in_order(transitions, task.key)
        for transition in leaving:
            result = _judge(transition, data, evaluate)
            results.append(result)
            if result.error is not None:
                failure = f"condition to {transition.to_task!r} failed: {result.error}"
                break
            if result.holds:
                chosen = transition.to_task
                break
        steps.append(WalkStep(task.key, task.name, task.task_type, output is not None, results, chosen))
        if failure is not None:
            return _result(WalkOutcome.INCIDENT, steps, data, failure)
        if not leaving:
            return _result(WalkOutcome.COMPLETED, steps, data, f"ends after {task.key!r}")
        if chosen is None:
            return _result(WalkOutcome.INCIDENT, steps, data, f"no condition out of {task.key!r} holds")
        current = chosen
    return _result(WalkOutcome.COMPLETED, steps, data, "")


def _judge(transition: WalkTransition, data: dict[str, Any], evaluate: Evaluator) -> ConditionResult:
    condition = transition.condition
    if condition is None or not condition.strip():
        return ConditionResult(transition.to_task, condition, transition.priority, True, True)
    try:
        value = evaluate(condition, data)
    except expressions.ExpressionError as exc:
        return ConditionResult(transition.to_task, condition, transition.priority, None, False, str(exc))
    return ConditionResult(
        transition.to_task, condition, transition.priority, value, expressions.holds(value)
    )


def _result(outcome: WalkOutcome, steps: list[WalkStep], data: dict[str, Any], detail: str) -> WalkResult:
    return WalkResult(outcome, steps, data, detail, [step.task_key for step in steps])
