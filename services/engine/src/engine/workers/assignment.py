"""Choosing who gets a FORM task: pure logic, no I/O."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class AssignmentStrategy(StrEnum):
    SHORTEST_QUEUE = "shortest_queue"
    ROUND_ROBIN = "round_robin"


@dataclass(frozen=True)
class Candidate:
    user_id: UUID
    name: str
    open_tasks: int
    last_assigned_at: datetime | None


@dataclass(frozen=True)
class AssignmentChoice:
    user_id: UUID
    reason: dict[str, Any]


def _recency(candidate: Candidate) -> tuple[int, str, str]:
    # Never assigned sorts first; then the oldest assignment; the id keeps the order total.
    if candidate.last_assigned_at is None:
        return (0, "", str(candidate.user_id))
    return (1, candidate.last_assigned_at.isoformat(), str(candidate.user_id))


def choose_assignee(
    candidates: Sequence[Candidate], strategy: AssignmentStrategy = AssignmentStrategy.SHORTEST_QUEUE
) -> AssignmentChoice | None:
    """Shortest queue: the fewest open tasks, ties to the least recently assigned. Round
    robin: the least recently assigned, whatever their load. None when nobody is available.
    The reason records what was compared, so an assignment can be explained."""
    if not candidates:
        return None
    compared = [
        {
            "user_id": str(c.user_id),
            "name": c.name,
            "open_tasks": c.open_tasks,
            "last_assigned_at": c.last_assigned_at.isoformat() if c.last_assigned_at else None,
        }
        for c in candidates
    ]
    if strategy is AssignmentStrategy.ROUND_ROBIN:
        chosen = min(candidates, key=_recency)
        explanation = f"round robin: {chosen.name} was assigned least recently"
        tie_break = None
    else:
        fewest = min(c.open_tasks for c in candidates)
        tied = [c for c in candidates if c.open_tasks == fewest]
        chosen = min(tied, key=_recency)
        if len(tied) > 1:
            tie_break = (
                f"{len(tied)} workers had {fewest} open tasks; {chosen.name} was assigned least recently"
            )
        else:
            tie_break = None
        explanation = f"shortest queue: {chosen.name} had the fewest open tasks ({fewest})"
    return AssignmentChoice(
        chosen.user_id,
        {
            "strategy": strategy.value,
            "chosen": str(chosen.user_id),
            "explanation": explanation,
            "tie_break": tie_break,
            "compared": compared,
        },
    )
