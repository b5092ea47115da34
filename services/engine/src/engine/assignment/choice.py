"""Which rule a FORM task follows and whom it goes to; the record of every assignment.

The runtime's assignment part asks `choose` and writes what it decided as an
`assignment_record`; the task detail reads the record back with `assignment_records`.
"""

from typing import Any
from uuid import UUID

from pydantic import ValidationError

from common.db import UnitOfWork
from contracts.assignment import (
    DEFAULT_RULE,
    AssignmentRule,
    CompanyRoleRule,
    GroupRule,
    MadeBy,
    RuleSource,
    rule_of,
)
from contracts.definitions import TaskDefinitionSpec
from contracts.ids import uuid7
from engine.assignment.repository import COMPANY_SCOPE, AssignmentRepository
from engine.assignment.schemas import AssignmentRecordRead
from engine.models import AssignmentRuleRow, TaskInstance
from engine.workers.assignment import AssignmentChoice, ResolvedRule, choose_assignee, explain
from engine.workers.repository import WorkerRepository


def _repo(uow: UnitOfWork) -> AssignmentRepository:
    return AssignmentRepository.of(uow)


def stored_rule(row: AssignmentRuleRow | None) -> AssignmentRule | None:
    # Rules are validated before they are written; a row that no longer parses (a contract
    # change) is ignored rather than stopping every assignment of the company.
    if row is None:
        return None
    try:
        return rule_of(row.rule)
    except ValidationError:
        return None


async def resolve_rule(
    repo: AssignmentRepository, workflow_key: str, spec: TaskDefinitionSpec
) -> tuple[ResolvedRule, UUID | None]:
    """The rule a task follows (an admin's rule for the task, else its definition's, else the
    company's, else shortest queue) and, for a group rule, the group's id (None when no group
    has that key: nobody may receive the task)."""
    rows = await repo.rules_for(workflow_key, spec.key)
    task_rule = stored_rule(rows.get((workflow_key, spec.key)))
    company_rule = stored_rule(rows.get(COMPANY_SCOPE))
    if task_rule is not None:
        rule, source = task_rule, RuleSource.TASK_RULE
    elif spec.assignment is not None:
        rule, source = spec.assignment, RuleSource.TASK_DEFINITION
    elif company_rule is not None:
        rule, source = company_rule, RuleSource.COMPANY
    else:
        rule, source = DEFAULT_RULE, RuleSource.DEFAULT
    if isinstance(rule, GroupRule):
        group = await repo.group_by_key(rule.group)
        if group is None:
            return ResolvedRule(rule, source), None
        return ResolvedRule(rule, source, group.name), group.id
    return ResolvedRule(rule, source), None


async def choose(
    uow: UnitOfWork, workflow_key: str, spec: TaskDefinitionSpec
) -> tuple[ResolvedRule, AssignmentChoice | None]:
    """Whom the task goes to by its rule; None when nobody the rule allows is available.
    The caller holds the company's assignment lock."""
    resolved, group_id = await resolve_rule(_repo(uow), workflow_key, spec)
    return resolved, await pick(uow, resolved, group_id)


async def resolve(
    uow: UnitOfWork, workflow_key: str, spec: TaskDefinitionSpec
) -> tuple[ResolvedRule, UUID | None]:
    return await resolve_rule(_repo(uow), workflow_key, spec)


async def pick(
    uow: UnitOfWork, resolved: ResolvedRule, group_id: UUID | None, *, passing_over: UUID | None = None
) -> AssignmentChoice | None:
    """The assignee among who the resolved rule allows and is available now, never
    `passing_over`."""
    workers = WorkerRepository.of(uow)
    rule = resolved.rule
    if isinstance(rule, GroupRule):
        if group_id is None:
            return None
        candidates = await workers.candidates(group_id=group_id, passing_over=passing_over)
    elif isinstance(rule, CompanyRoleRule):
        candidates = await workers.candidates(company_role=rule.company_role, passing_over=passing_over)
    else:
        candidates = await workers.candidates(passing_over=passing_over)
    return choose_assignee(candidates, resolved)


def assignment_record(
    uow: UnitOfWork,
    task: TaskInstance,
    *,
    previous: UUID | None,
    made_by: MadeBy,
    reason: dict[str, Any],
) -> dict[str, Any]:
    """The record of the assignment the task just took (the columns of `AssignmentRecord`): who
    or what made it, why. The runtime writes it with the step's additions."""
    assert task.assignee_id is not None
    assert uow.company_id is not None
    return {
        "company_id": uow.company_id,
        "id": uuid7(),
        "task_instance_id": task.id,
        "workflow_instance_id": task.workflow_instance_id,
        "assignee_id": task.assignee_id,
        "previous_assignee_id": previous,
        "made_by": made_by.value,
        "actor_id": uow.actor.id if made_by is MadeBy.PERSON else None,
        "strategy": str(reason.get("strategy", "")),
        "reason": reason,
    }


async def assignment_records(uow: UnitOfWork, task_id: UUID) -> list[AssignmentRecordRead]:
    records = await _repo(uow).records_of(task_id)
    people: set[UUID] = set()
    for r in records:
        people.add(r.assignee_id)
        if r.previous_assignee_id:
            people.add(r.previous_assignee_id)
        if r.actor_id:
            people.add(UUID(r.actor_id))
    names = await WorkerRepository.of(uow).names(people)
    return [
        AssignmentRecordRead(
            id=r.id,
            assignee_id=r.assignee_id,
            assignee_name=names.get(r.assignee_id),
            previous_assignee_id=r.previous_assignee_id,
            previous_assignee_name=names.get(r.previous_assignee_id) if r.previous_assignee_id else None,
            made_by=MadeBy(r.made_by),
            actor_id=r.actor_id,
            actor_name=names.get(UUID(r.actor_id)) if r.actor_id else None,
            strategy=r.strategy,
            explanation=explain(r.reason),
            reason=r.reason,
            created_at=r.created_at,
        )
        for r in records
    ]
