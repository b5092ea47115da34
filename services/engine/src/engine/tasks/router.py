from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from common.auth import CurrentClaims
from common.web import Page, PageDep, UoW
from contracts.engine import TaskStatus
from engine.config import SettingsDep
from engine.roles import TeamClaims, WorkerClaims
from engine.tasks import service
from engine.tasks.repository import TaskFilter
from engine.tasks.schemas import (
    CalendarScope,
    TaskComplete,
    TaskDetailRead,
    TaskRead,
    TaskReassign,
    TaskSort,
    TaskView,
)

router = APIRouter(prefix="/api/engine/tasks", tags=["tasks"])


@router.get("")
async def list_tasks(
    uow: UoW,
    claims: TeamClaims,
    page: PageDep,
    view: TaskView | None = None,
    status: TaskStatus | None = None,
    task_type: Annotated[str | None, Query(pattern="^(FORM|SYNC_ACTION|ASYNC_ACTION)$")] = None,
    task_key: Annotated[str | None, Query(max_length=200)] = None,
    assignee_id: UUID | None = None,
    workflow_instance_id: UUID | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    overdue: bool | None = None,
    sort: TaskSort = TaskSort.CREATED_AT_DESC,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[TaskRead]:
    """Tasks of the company for the ticket team: `view=active` (open or in error) or
    `view=archive` (completed, skipped, cancelled), with filters, newest first; `overdue=true`
    keeps open tasks past their due time, `sort=due_at` puts the most urgent first. `q` matches
    every word, as a prefix, against the task's name and its ticket's number, title and
    submitted data."""
    f = TaskFilter(
        view=view,
        status=status,
        task_type=task_type,
        task_key=task_key,
        assignee_id=assignee_id,
        workflow_instance_id=workflow_instance_id,
        created_from=created_from,
        created_to=created_to,
        overdue=overdue,
        sort=sort.value,
        q=q,
    )
    return await service.list_tasks(uow, f, page)


@router.get("/mine")
async def my_tasks(
    uow: UoW,
    claims: WorkerClaims,
    page: PageDep,
    view: TaskView | None = None,
    status: TaskStatus | None = None,
    overdue: bool | None = None,
    sort: TaskSort = TaskSort.CREATED_AT_DESC,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[TaskRead]:
    """The caller's FORM tasks (active by default, `view=archive` for done ones); `overdue`,
    `sort=due_at` and `q` as in the team's list."""
    f = TaskFilter(view=view, status=status, overdue=overdue, sort=sort.value, q=q)
    return await service.my_tasks(uow, claims, f, page)


@router.get("/calendar")
async def task_calendar(
    uow: UoW,
    claims: CurrentClaims,
    start: datetime,
    end: datetime,
    scope: CalendarScope = CalendarScope.MINE,
) -> list[TaskRead]:
    """FORM tasks due between `start` and `end` (at most 62 days), and every open task already
    overdue: the caller's own (`scope=mine`), or everyone's for the ticket team (`scope=team`,
    403 for others). Soonest first, at most 1000."""
    return await service.calendar(uow, claims, scope, start, end)


@router.get("/{task_id}")
async def get_task(task_id: UUID, uow: UoW, claims: CurrentClaims, settings: SettingsDep) -> TaskDetailRead:
    """A task with its input (input schema and the workflow data), its output schema, why it
    was assigned, and its history. Visible to its assignee and the ticket team."""
    return await service.task_detail(uow, settings, task_id, claims)


@router.post("/{task_id}/start")
async def start_task(task_id: UUID, uow: UoW, claims: WorkerClaims, settings: SettingsDep) -> TaskDetailRead:
    """The assignee starts working on an assigned FORM task."""
    return await service.start_task(uow, settings, task_id, claims)


@router.post("/{task_id}/complete")
async def complete_task(
    task_id: UUID, body: TaskComplete, uow: UoW, claims: WorkerClaims, settings: SettingsDep
) -> TaskDetailRead:
    """The assignee submits the task's output. It is validated against the output schema
    (422 lists every problem, nothing changes) and merged into the workflow data; a stale
    `expected_version` or a repeated submit gets 409."""
    return await service.complete_task(uow, settings, task_id, claims, body.output, body.expected_version)


@router.post("/{task_id}/reassign")
async def reassign_task(
    task_id: UUID, body: TaskReassign, uow: UoW, claims: TeamClaims, settings: SettingsDep
) -> TaskDetailRead:
    """Assign an open FORM task by hand (one waiting in the queue, or someone else's) to an
    active task worker; the task's record keeps who did it and the `note` they gave."""
    return await service.reassign_task(
        uow, settings, task_id, claims, body.assignee_id, body.expected_version, body.note
    )
