"""The admins' side of assignment: rules per company and per task definition, groups of
workers, and the queue of FORM tasks nobody has started. A change that may let a waiting task
go to someone (a new rule, new group members) assigns the queue at once."""

from collections.abc import Sequence
from uuid import UUID

from common.auth import Claims
from common.db import UnitOfWork
from common.errors import Conflict, NotFound, ValidationProblem
from common.web import Page, PageParams
from contracts.assignment import DEFAULT_RULE, AssignmentRule, GroupRule, RuleSource
from contracts.definitions import TaskDefinitionSpec
from contracts.ids import uuid7
from engine.assignment.choice import resolve_rule, stored_rule
from engine.assignment.repository import COMPANY_SCOPE, AssignmentRepository
from engine.assignment.schemas import (
    AssignmentRulesRead,
    CompanyRuleRead,
    GroupCreate,
    GroupMemberRead,
    GroupRead,
    GroupUpdate,
    RuleRead,
    TaskRuleRead,
    WaitingState,
    WaitingTaskRead,
)
from engine.config import EngineSettings
from engine.definitions.repository import DefinitionRepository
from engine.definitions.service import PLANS, WorkflowPlan
from engine.models import AssignmentRuleRow, WorkerGroup, WorkflowInstance
from engine.workers.assignment import PoolsLeft, ResolvedRule, describe_rule
from engine.workers.repository import WorkerRepository
from engine.workflows.runtime import WorkflowRuntime


def _repo(uow: UnitOfWork) -> AssignmentRepository:
    return AssignmentRepository.of(uow)


async def _assign_queue(uow: UnitOfWork, settings: EngineSettings) -> None:
    # Under a new rule or with new members, tasks that waited may have someone now.
    await WorkflowRuntime(uow, settings).assignment.assign_queued()


# -- the rules page ----------------------------------------------------------------------------


async def _group_names(repo: AssignmentRepository) -> dict[str, str]:
    return {g.key: g.name for g in await repo.groups()}


def _describe(rule: AssignmentRule, source: RuleSource, groups: dict[str, str]) -> str:
    group_name = groups.get(rule.group) if isinstance(rule, GroupRule) else None
    return describe_rule(ResolvedRule(rule, source, group_name))


async def _check_rule(repo: AssignmentRepository, rule: AssignmentRule) -> None:
    if isinstance(rule, GroupRule) and await repo.group_by_key(rule.group) is None:
        raise ValidationProblem(
            f"No group '{rule.group}' exists; create it first.",
            errors=[{"loc": ["body", "group"], "msg": "no such group", "type": "unknown_group"}],
        )


def _rule_read(
    row: AssignmentRuleRow | None,
    rule: AssignmentRule,
    source: RuleSource,
    groups: dict[str, str],
    names: dict[UUID, str],
) -> RuleRead:
    return RuleRead(
        rule=rule,
        description=_describe(rule, source, groups),
        updated_at=row.updated_at if row else None,
        updated_by=row.updated_by if row else None,
        updated_by_name=names.get(row.updated_by) if row and row.updated_by else None,
    )


async def rules_overview(uow: UnitOfWork) -> AssignmentRulesRead:
    """The company's rule and, for every FORM task of a current workflow, the rule it follows."""
    repo = _repo(uow)
    rows = {(r.workflow_key, r.task_key): r for r in await repo.rules()}
    groups = await _group_names(repo)
    names = await WorkerRepository.of(uow).names({r.updated_by for r in rows.values() if r.updated_by})
    company_row = rows.get(COMPANY_SCOPE)
    company_rule = stored_rule(company_row)
    company_source = RuleSource.COMPANY if company_rule else RuleSource.DEFAULT
    company_effective = company_rule or DEFAULT_RULE
    company = CompanyRuleRead(
        **_rule_read(company_row, company_effective, company_source, groups, names).model_dump(),
        source=company_source,
    )
    tasks: list[TaskRuleRead] = []
    for definition in await repo.current_workflows():
        for raw in definition.tasks:
            spec = TaskDefinitionSpec.model_validate(raw)
            if spec.task_type != "FORM":
                continue
            row = rows.get((definition.key, spec.key))
            task_rule = stored_rule(row)
            if task_rule is not None:
                effective, source = task_rule, RuleSource.TASK_RULE
            elif spec.assignment is not None:
                effective, source = spec.assignment, RuleSource.TASK_DEFINITION
            else:
                effective, source = company_effective, company_source
            tasks.append(
                TaskRuleRead(
                    workflow_key=definition.key,
                    workflow_name=definition.name,
                    workflow_version=definition.version,
                    task_key=spec.key,
                    task_name=spec.name,
                    definition_rule=spec.assignment,
                    task_rule=(
                        _rule_read(row, task_rule, RuleSource.TASK_RULE, groups, names) if task_rule else None
                    ),
                    effective=effective,
                    source=source,
                    description=_describe(effective, source, groups),
                )
            )
    return AssignmentRulesRead(company=company, tasks=tasks)


async def set_company_rule(
    uow: UnitOfWork, settings: EngineSettings, claims: Claims, rule: AssignmentRule
) -> CompanyRuleRead:
    repo = _repo(uow)
    await _check_rule(repo, rule)
    await repo.put_rule(*COMPANY_SCOPE, rule.model_dump(mode="json"), claims.user_id)
    await _assign_queue(uow, settings)
    return (await rules_overview(uow)).company


async def _form_task(repo: AssignmentRepository, workflow_key: str, task_key: str) -> None:
    definition = await repo.latest_workflow(workflow_key)
    known = definition is not None and any(
        t.get("key") == task_key and t.get("task_type") == "FORM" for t in definition.tasks
    )
    if not known:
        raise NotFound(f"No FORM task '{task_key}' in a workflow '{workflow_key}'.")


async def set_task_rule(
    uow: UnitOfWork,
    settings: EngineSettings,
    claims: Claims,
    workflow_key: str,
    task_key: str,
    rule: AssignmentRule,
) -> TaskRuleRead:
    repo = _repo(uow)
    await _form_task(repo, workflow_key, task_key)
    await _check_rule(repo, rule)
    await repo.put_rule(workflow_key, task_key, rule.model_dump(mode="json"), claims.user_id)
    await _assign_queue(uow, settings)
    return await _task_rule_read(uow, workflow_key, task_key)


async def clear_task_rule(
    uow: UnitOfWork, settings: EngineSettings, workflow_key: str, task_key: str
) -> None:
    repo = _repo(uow)
    await _form_task(repo, workflow_key, task_key)
    if not await repo.delete_rule(workflow_key, task_key):
        raise NotFound("The task has no rule of its own.")
    await _assign_queue(uow, settings)


async def _task_rule_read(uow: UnitOfWork, workflow_key: str, task_key: str) -> TaskRuleRead:
    for task in (await rules_overview(uow)).tasks:
        if (task.workflow_key, task.task_key) == (workflow_key, task_key):
            return task
    # An archived workflow's task keeps its rule for the instances still running.
    raise NotFound(f"No FORM task '{task_key}' in a current workflow '{workflow_key}'.")


# -- groups -----------------------------------------------------------------------------------


async def _checked_members(repo: AssignmentRepository, members: Sequence[UUID]) -> list[UUID]:
    unique = list(dict.fromkeys(members))
    workers = await repo.task_workers(unique)
    problems = [
        {
            "loc": ["body", "members", i],
            "msg": "not an active task worker of the company",
            "type": "value_error",
        }
        for i, user_id in enumerate(members)
        if user_id not in workers
    ]
    if problems:
        raise ValidationProblem("Every member must be an active task worker of the company.", errors=problems)
    return unique


async def _group_reads(repo: AssignmentRepository, groups: Sequence[WorkerGroup]) -> list[GroupRead]:
    members = await repo.members([g.id for g in groups])
    rules = await repo.rules()
    used: dict[str, int] = {}
    for row in rules:
        rule = stored_rule(row)
        if isinstance(rule, GroupRule):
            used[rule.group] = used.get(rule.group, 0) + 1
    return [
        GroupRead(
            id=g.id,
            key=g.key,
            name=g.name,
            description=g.description,
            members=[
                GroupMemberRead(
                    user_id=w.user_id,
                    display_name=w.display_name,
                    email=w.email,
                    available=w.available,
                    is_active=w.is_active,
                    is_task_worker=w.is_task_worker,
                )
                for w in members[g.id]
            ],
            rules=used.get(g.key, 0),
            created_at=g.created_at,
            updated_at=g.updated_at,
        )
        for g in groups
    ]


async def list_groups(uow: UnitOfWork) -> list[GroupRead]:
    repo = _repo(uow)
    return await _group_reads(repo, await repo.groups())


async def _group(repo: AssignmentRepository, group_id: UUID, *, for_update: bool = False) -> WorkerGroup:
    group = await repo.group(group_id, for_update=for_update)
    if group is None:
        raise NotFound("No such group.")
    return group


async def get_group(uow: UnitOfWork, group_id: UUID) -> GroupRead:
    repo = _repo(uow)
    return (await _group_reads(repo, [await _group(repo, group_id)]))[0]


async def create_group(uow: UnitOfWork, settings: EngineSettings, body: GroupCreate) -> GroupRead:
    repo = _repo(uow)
    if await repo.group_by_key(body.key) is not None:
        raise Conflict(f"A group '{body.key}' exists already.")
    members = await _checked_members(repo, body.members)
    group = WorkerGroup(
        company_id=repo.company_id, id=uuid7(), key=body.key, name=body.name, description=body.description
    )
    await repo.add_group(group)
    await repo.set_members(group.id, members)
    if members:
        await _assign_queue(uow, settings)
    return (await _group_reads(repo, [group]))[0]


async def update_group(
    uow: UnitOfWork, settings: EngineSettings, group_id: UUID, body: GroupUpdate
) -> GroupRead:
    repo = _repo(uow)
    group = await _group(repo, group_id, for_update=True)
    members = await _checked_members(repo, body.members) if body.members is not None else None
    if body.name is not None:
        group.name = body.name
    if body.description is not None:
        group.description = body.description
    removed: list[UUID] = []
    if members is not None:
        kept = set(members)
        before = (await repo.members([group.id]))[group.id]
        removed = [w.user_id for w in before if w.user_id not in kept]
        await repo.set_members(group.id, members)
    await uow.session.flush()
    await uow.session.refresh(group)
    await _hand_back(uow, settings, group, removed)
    if members:
        await _assign_queue(uow, settings)
    return (await _group_reads(repo, [group]))[0]


async def _hand_back(
    uow: UnitOfWork, settings: EngineSettings, group: WorkerGroup, removed: Sequence[UUID]
) -> None:
    """Give back what the workers taken out of the group hold by its rule: each such task goes
    to whom its rule picks now (the group's remaining members), or waits in the queue."""
    if not removed:
        return
    assignment = WorkflowRuntime(uow, settings).assignment
    left = PoolsLeft(groups=frozenset({group.key}))
    for user_id in removed:
        await assignment.requeue_tasks_of(user_id, f"The assignee left group {group.name}", left=left)


async def delete_group(uow: UnitOfWork, group_id: UUID) -> None:
    repo = _repo(uow)
    group = await _group(repo, group_id, for_update=True)
    users = await repo.rules_naming_group(group.key)
    if users:
        scopes = [f"{r.workflow_key}/{r.task_key}" if r.workflow_key else "the company" for r in users]
        raise Conflict(
            f"Rules still send tasks to group '{group.key}' ({', '.join(scopes)}); change them first.",
            extra={"rules": scopes},
        )
    # Its members keep what they hold: with no group, a task given back could only wait.
    await repo.delete_group(group)


# -- the queue --------------------------------------------------------------------------------


async def _plan(uow: UnitOfWork, instance: WorkflowInstance) -> WorkflowPlan | None:
    definitions = DefinitionRepository.of(uow)
    plan = PLANS.get(definitions.company_id, instance.workflow_definition_id)
    if plan is None:
        definition = await definitions.workflow_by_id(instance.workflow_definition_id)
        if definition is None:
            return None
        plan = PLANS.put(definitions.company_id, WorkflowPlan.of(definition))
    return plan


async def waiting_tasks(
    uow: UnitOfWork, state: WaitingState | None, page: PageParams
) -> Page[WaitingTaskRead]:
    """FORM tasks nobody has started, oldest first, each with the rule it follows."""
    repo = _repo(uow)
    rows, total = await repo.waiting_tasks(
        unassigned=state in (None, WaitingState.UNASSIGNED),
        queued=state in (None, WaitingState.QUEUED),
        offset=page.offset,
        limit=page.page_size,
    )
    names = await WorkerRepository.of(uow).names({t.assignee_id for t, _ in rows if t.assignee_id})
    items: list[WaitingTaskRead] = []
    for task, instance in rows:
        plan = await _plan(uow, instance)
        if plan is not None and task.task_key in plan.tasks:
            resolved, _ = await resolve_rule(repo, instance.workflow_key, plan.task(task.task_key))
            rule, source = describe_rule(resolved), resolved.source
        else:
            rule, source = describe_rule(ResolvedRule(DEFAULT_RULE, RuleSource.DEFAULT)), RuleSource.DEFAULT
        items.append(
            WaitingTaskRead(
                id=task.id,
                workflow_instance_id=instance.id,
                ticket_id=instance.ticket_id,
                ticket_number=instance.ticket_number,
                ticket_title=instance.ticket_title,
                task_key=task.task_key,
                name=task.name,
                status=task.status,
                state=WaitingState.UNASSIGNED if task.assignee_id is None else WaitingState.QUEUED,
                assignee_id=task.assignee_id,
                assignee_name=names.get(task.assignee_id) if task.assignee_id else None,
                assigned_at=task.assigned_at,
                created_at=task.created_at,
                version=task.version,
                rule=rule,
                source=source,
            )
        )
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)
