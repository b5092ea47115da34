"""Reading tasks (lists, My tasks, detail with input), and the task operations of workers
and admins, which the workflow runtime carries out."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from common.auth import Claims, SystemRole
from common.db import UnitOfWork
from common.errors import Forbidden, NotFound, ValidationProblem
from common.web import Page, PageParams
from contracts.engine import OPEN_TASK_STATUSES
from engine.assignment.choice import assignment_records
from engine.config import EngineSettings
from engine.definitions.service import WorkflowPlan
from engine.models import TaskInstance, WorkflowInstance
from engine.tasks.repository import TaskFilter, TaskRepository
from engine.tasks.schemas import CalendarScope, TaskDetailRead, TaskRead
from engine.workers.assignment import explain
from engine.workers.people import display_names, with_actor_names
from engine.workflows.queries import history_entries
from engine.workflows.runtime import WorkflowRuntime

MAX_CALENDAR_SPAN = timedelta(days=62)
MAX_CALENDAR_TASKS = 1000


def task_read(
    task: TaskInstance, instance: WorkflowInstance, names: dict[UUID, str] | None = None
) -> TaskRead:
    return TaskRead(
        id=task.id,
        workflow_instance_id=instance.id,
        ticket_id=instance.ticket_id,
        ticket_number=instance.ticket_number,
        ticket_title=instance.ticket_title,
        workflow_status=instance.status,
        task_key=task.task_key,
        name=task.name,
        task_type=task.task_type,
        status=task.status,
        assignee_id=task.assignee_id,
        assignee_name=(names or {}).get(task.assignee_id) if task.assignee_id else None,
        assigned_at=task.assigned_at,
        assignment=task.assignment,
        assignment_explanation=explain(task.assignment),
        attempt=task.attempt,
        error=task.error,
        version=task.version,
        created_at=task.created_at,
        started_at=task.started_at,
        completed_at=task.completed_at,
        due_at=task.due_at,
        escalated_at=task.escalated_at,
        overdue=is_overdue(task),
    )


def is_overdue(task: TaskInstance, now: datetime | None = None) -> bool:
    return (
        task.due_at is not None
        and task.status in OPEN_TASK_STATUSES
        and task.due_at < (now or datetime.now(UTC))
    )


async def list_tasks(uow: UnitOfWork, f: TaskFilter, page: PageParams) -> Page[TaskRead]:
    rows, total = await TaskRepository.of(uow).search(f, page.offset, page.page_size)
    assert uow.company_id is not None
    names = await display_names(uow.session, uow.company_id, (t.assignee_id for t, _ in rows))
    return Page(
        items=[task_read(t, w, names) for t, w in rows], total=total, page=page.page, page_size=page.page_size
    )


async def my_tasks(uow: UnitOfWork, claims: Claims, f: TaskFilter, page: PageParams) -> Page[TaskRead]:
    mine = TaskFilter(
        view=f.view or "active",
        status=f.status,
        task_type="FORM",
        task_key=f.task_key,
        assignee_id=claims.user_id,
        overdue=f.overdue,
        sort=f.sort,
        q=f.q,
    )
    return await list_tasks(uow, mine, page)


async def calendar(
    uow: UnitOfWork, claims: Claims, scope: CalendarScope, start: datetime, end: datetime
) -> list[TaskRead]:
    """FORM tasks due between `start` and `end`, plus every open one already overdue (a late
    task stays on the calendar until it is done): the caller's own, or the whole team's for
    the ticket team."""
    if end <= start:
        raise ValidationProblem(
            "The calendar's end must come after its start.",
            errors=[{"loc": ["query", "end"], "msg": "must be after start", "type": "value_error"}],
        )
    if end - start > MAX_CALENDAR_SPAN:
        raise ValidationProblem(
            f"The calendar shows at most {MAX_CALENDAR_SPAN.days} days at once.",
            errors=[{"loc": ["query", "end"], "msg": "span too long", "type": "value_error"}],
        )
    if scope is CalendarScope.TEAM and not claims.has_any_role(SystemRole.ADMIN, SystemRole.TICKET_ADMIN):
        raise Forbidden("Only the ticket team sees everyone's tasks.")
    assignee = claims.user_id if scope is CalendarScope.MINE else None
    rows = await TaskRepository.of(uow).due_between(start, end, assignee, MAX_CALENDAR_TASKS)
    return [task_read(t, w) for t, w in rows]


def _may_see(task: TaskInstance, claims: Claims) -> bool:
    return task.assignee_id == claims.user_id or claims.has_any_role(
        SystemRole.ADMIN, SystemRole.TICKET_ADMIN
    )


async def task_detail(
    uow: UnitOfWork, settings: EngineSettings, task_id: UUID, claims: Claims
) -> TaskDetailRead:
    step = WorkflowRuntime(uow, settings).step
    task = await step.tasks.get(task_id)
    # Someone else's task answers exactly like a missing one.
    if task is None or not _may_see(task, claims):
        raise NotFound("No such task.")
    instance = await step.workflows.get(task.workflow_instance_id)
    assert instance is not None
    plan: WorkflowPlan = await step.plan(instance)
    spec = plan.task(task.task_key)
    rows = await step.workflows.history(instance.id)
    names = await display_names(uow.session, step.company_id, [task.assignee_id])
    history = await with_actor_names(
        uow.session,
        step.company_id,
        [h for h in history_entries(rows) if h.task_instance_id == task.id],
        names,
    )
    return TaskDetailRead(
        **task_read(task, instance, names).model_dump(),
        description=spec.description,
        input_schema=spec.input_schema,
        output_schema=spec.output_schema,
        edit_layout=spec.edit_layout,
        display_layout=spec.display_layout,
        data=instance.workflow_data,
        output=task.output,
        history=history,
        assignments=await assignment_records(uow, task.id),
    )


async def complete_task(
    uow: UnitOfWork,
    settings: EngineSettings,
    task_id: UUID,
    claims: Claims,
    output: dict[str, object],
    expected_version: int,
) -> TaskDetailRead:
    runtime = WorkflowRuntime(uow, settings)
    await runtime.progress.complete_form(task_id, claims.user_id, output, expected_version)
    await runtime.write_history()  # the detail shows this change too
    return await task_detail(uow, settings, task_id, claims)


async def start_task(
    uow: UnitOfWork, settings: EngineSettings, task_id: UUID, claims: Claims
) -> TaskDetailRead:
    runtime = WorkflowRuntime(uow, settings)
    await runtime.progress.start_form(task_id, claims.user_id)
    await runtime.write_history()  # the detail shows this change too
    return await task_detail(uow, settings, task_id, claims)


async def reassign_task(
    uow: UnitOfWork,
    settings: EngineSettings,
    task_id: UUID,
    claims: Claims,
    assignee_id: UUID,
    expected_version: int | None,
    note: str | None = None,
) -> TaskDetailRead:
    runtime = WorkflowRuntime(uow, settings)
    await runtime.assignment.reassign(task_id, assignee_id, expected_version, note)
    await runtime.write_history()  # the detail shows this change too
    return await task_detail(uow, settings, task_id, claims)
