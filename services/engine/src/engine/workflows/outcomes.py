"""The outcome a workflow ends with: which one the definition names for the end it reached, and
its message, computed from the workflow data at the end. Pure logic, no I/O.

The transition taken into the end task names it when it has one (it knows why the workflow
went there); otherwise the end task's own does; otherwise the workflow ends without one.
"""

import json
from collections.abc import Sequence
from typing import Any

from contracts.definitions import OutcomeSpec
from engine.definitions.service import WorkflowPlan
from engine.models import Decision
from engine.workflows.transitions import DecisionOutcome, Transition

# What a ticket shows; a message longer than this is cut, never refused at the end of a run.
MAX_MESSAGE_LENGTH = 4000


def entering_transition(
    plan: WorkflowPlan, end_task: str, decisions: Sequence[Decision]
) -> Transition | None:
    """The transition the instance took into `end_task`: the last decision that moved it, matched
    to the definition by the condition that held (the first in the order tried, as the decision
    took it). None when the workflow started at its end."""
    taken = next((d for d in reversed(decisions) if d.outcome == DecisionOutcome.TRANSITION.value), None)
    if taken is None or taken.to_task_key != end_task:
        return None
    held = next((t for t in reversed(taken.tried) if t.get("holds")), None)
    for transition in plan.outgoing.get(taken.from_task_key, []):
        if transition.to_task != end_task:
            continue
        if held is None or (
            ((transition.condition or "").strip() or None) == (held.get("condition") or None)
            and transition.priority == held.get("priority")
        ):
            return transition
    return None


def outcome_spec(plan: WorkflowPlan, end_task: str, entered_by: Transition | None) -> OutcomeSpec | None:
    if entered_by is not None and entered_by.outcome is not None:
        return entered_by.outcome
    return plan.task(end_task).outcome


def message_text(value: Any) -> str | None:
    """The message as a ticket shows it: text as it is, anything else as JSON; nothing (JSONata's
    undefined, or an empty text) is no message."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = text.strip()
    if not text:
        return None
    return text if len(text) <= MAX_MESSAGE_LENGTH else text[: MAX_MESSAGE_LENGTH - 1] + "…"
