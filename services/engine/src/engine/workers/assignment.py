"""Choosing who gets a FORM task, and saying why: pure logic, no I/O.

The reason of an assignment is structured data (what was compared, which rule, who won and by
what), stored with the task and its record; `explain` renders it as the sentence people read,
e.g. "fewest open tasks (2), ties broken by least recently assigned".
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.assignment import (
    DEFAULT_RULE,
    AssignmentRule,
    AssignmentStrategy,
    CompanyRoleRule,
    GroupRule,
    MadeBy,
    Pick,
    RuleSource,
)

TIE_BREAK_LEAST_RECENT = "least_recently_assigned"


@dataclass(frozen=True)
class Candidate:
    user_id: UUID
    name: str
    open_tasks: int
    last_assigned_at: datetime | None


@dataclass(frozen=True)
class ResolvedRule:
    """The rule a task follows, where it was set, and the display name of its group."""

    rule: AssignmentRule
    source: RuleSource
    group_name: str | None = None

    @property
    def pick(self) -> Pick:
        if isinstance(self.rule, GroupRule | CompanyRoleRule):
            return self.rule.pick
        return Pick(self.rule.strategy.value)


DEFAULT = ResolvedRule(DEFAULT_RULE, RuleSource.DEFAULT)


@dataclass(frozen=True)
class PoolsLeft:
    """The pools a worker just left: the groups (by key) they were taken out of, the company
    roles they lost. A task whose rule narrows to one of them is no longer theirs to hold; a
    task under any other rule stays (an assignment by hand outside the rule included)."""

    groups: frozenset[str] = frozenset()
    company_roles: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.groups or self.company_roles)

    def narrow(self, resolved: ResolvedRule) -> bool:
        """Whether the rule narrows to a pool left."""
        rule = resolved.rule
        if isinstance(rule, GroupRule):
            return rule.group in self.groups
        if isinstance(rule, CompanyRoleRule):
            return rule.company_role in self.company_roles
        return False


@dataclass(frozen=True)
class AssignmentChoice:
    user_id: UUID
    reason: dict[str, Any]


def _recency(candidate: Candidate) -> tuple[int, str, str]:
    # Never assigned sorts first; then the oldest assignment; the id keeps the order total.
    if candidate.last_assigned_at is None:
        return (0, "", str(candidate.user_id))
    return (1, candidate.last_assigned_at.isoformat(), str(candidate.user_id))


def _pool(resolved: ResolvedRule) -> dict[str, Any]:
    rule = resolved.rule
    return {
        "group": rule.group if isinstance(rule, GroupRule) else None,
        "group_name": resolved.group_name if isinstance(rule, GroupRule) else None,
        "company_role": rule.company_role if isinstance(rule, CompanyRoleRule) else None,
    }


def choose_assignee(
    candidates: Sequence[Candidate], resolved: ResolvedRule = DEFAULT
) -> AssignmentChoice | None:
    """Among `candidates` (the rule's pool, already narrowed to who is available): shortest
    queue takes the fewest open tasks, ties to the least recently assigned; round robin takes
    the least recently assigned, whatever their load. None when nobody is available."""
    if not candidates:
        return None
    if resolved.pick is Pick.ROUND_ROBIN:
        chosen = min(candidates, key=_recency)
        tied = len(candidates)
        tie_break = None
    else:
        fewest = min(c.open_tasks for c in candidates)
        level = [c for c in candidates if c.open_tasks == fewest]
        chosen = min(level, key=_recency)
        tied = len(level)
        tie_break = TIE_BREAK_LEAST_RECENT if tied > 1 else None
    reason: dict[str, Any] = {
        "made_by": MadeBy.STRATEGY.value,
        "strategy": resolved.rule.strategy.value,
        "pick": resolved.pick.value,
        "source": resolved.source.value,
        **_pool(resolved),
        "chosen": str(chosen.user_id),
        "chosen_name": chosen.name,
        "open_tasks": chosen.open_tasks,
        "tied": tied,
        "tie_break": tie_break,
        "compared": [
            {
                "user_id": str(c.user_id),
                "name": c.name,
                "open_tasks": c.open_tasks,
                "last_assigned_at": c.last_assigned_at.isoformat() if c.last_assigned_at else None,
            }
            for c in candidates
        ],
    }
    reason["explanation"] = explain(reason)
    return AssignmentChoice(chosen.user_id, reason)


def manual_reason(
    *,
    chosen: UUID,
    chosen_name: str,
    open_tasks: int,
    by: str | None,
    by_name: str | None,
    previous: UUID | None,
    previous_name: str | None,
    note: str | None,
) -> dict[str, Any]:
    """The reason of an assignment made by a person."""
    reason: dict[str, Any] = {
        "made_by": MadeBy.PERSON.value,
        "strategy": "manual",
        "chosen": str(chosen),
        "chosen_name": chosen_name,
        "open_tasks": open_tasks,
        "by": by,
        "by_name": by_name,
        "previous": str(previous) if previous else None,
        "previous_name": previous_name,
        "note": note,
        "tie_break": None,
        "compared": [],
    }
    reason["explanation"] = explain(reason)
    return reason


def _pool_phrase(reason: dict[str, Any]) -> str:
    if reason.get("strategy") == AssignmentStrategy.GROUP:
        return f"in group {reason.get('group_name') or reason.get('group')}: "
    if reason.get("strategy") == AssignmentStrategy.COMPANY_ROLE:
        return f"has company role {reason.get('company_role')}: "
    return ""


def explain(reason: dict[str, Any] | None) -> str | None:
    """The reason as a sentence. Reasons recorded before they were structured carry their
    sentence already."""
    if not reason:
        return None
    made_by = reason.get("made_by")
    if made_by is None:
        text = reason.get("explanation")
        return str(text) if text else None
    if made_by == MadeBy.PERSON:
        sentence = f"assigned by hand by {reason.get('by_name') or 'an administrator'}"
        note = reason.get("note")
        return f"{sentence}: {note}" if note else sentence
    if reason.get("pick") == Pick.ROUND_ROBIN:
        choice = "next in turn (round robin), least recently assigned"
    else:
        choice = f"fewest open tasks ({reason.get('open_tasks', 0)})"
        if reason.get("tie_break") == TIE_BREAK_LEAST_RECENT:
            choice += ", ties broken by least recently assigned"
    return _pool_phrase(reason) + choice


def waiting_reason(resolved: ResolvedRule) -> str:
    """Why a task waits in the queue: nobody the rule allows is available."""
    rule = resolved.rule
    if isinstance(rule, GroupRule):
        if resolved.group_name is None:
            return f"No group '{rule.group}' exists; the task waits in the queue"
        return f"Nobody in group {resolved.group_name} is available; the task waits in the queue"
    if isinstance(rule, CompanyRoleRule):
        return (
            f"No task worker with company role {rule.company_role} is available; the task waits in the queue"
        )
    return "No task worker is available; the task waits in the queue"


def describe_rule(resolved: ResolvedRule) -> str:
    """A rule as a phrase for the rules page and the queue: "group Finance, shortest queue"."""
    rule = resolved.rule
    pick = "round robin" if resolved.pick is Pick.ROUND_ROBIN else "shortest queue"
    if isinstance(rule, GroupRule):
        return f"group {resolved.group_name or rule.group}, then {pick}"
    if isinstance(rule, CompanyRoleRule):
        return f"company role {rule.company_role}, then {pick}"
    return pick
