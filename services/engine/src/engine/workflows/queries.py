"""Read models of workflow instances for the ticket team: lists, detail with the path taken,
history."""

from collections.abc import Sequence
from uuid import UUID

from common.db import UnitOfWork
from common.web import Page, PageParams
from engine.models import HistoryEntry, TaskInstance, WorkflowInstance
from engine.tasks.repository import TaskRepository
from engine.workers.people import display_names, with_actor_names
from engine.workflows.repository import InstanceFilter, WorkflowRepository
from engine.workflows.schemas import (
    CurrentTaskRead,
    DecisionRead,
    HistoryEntryRead,
    PathStepRead,
    WorkflowInstanceDetailRead,
    WorkflowInstanceRead,
)

NO_INSTANCE = "No such workflow instance."


def _current(task: TaskInstance | None, names: dict[UUID, str]) -> CurrentTaskRead | None:
    if task is None:
        return None
    return CurrentTaskRead(
        id=task.id,
        task_key=task.task_key,
        name=task.name,
        task_type=task.task_type,
        status=task.status,
        assignee_id=task.assignee_id,
        assignee_name=names.get(task.assignee_id) if task.assignee_id else None,
    )


def instance_read(
    instance: WorkflowInstance, current: TaskInstance | None, names: dict[UUID, str] | None = None
) -> WorkflowInstanceRead:
    read = WorkflowInstanceRead.model_validate(instance)
    read.current_task = _current(current, names or {})
    return read


async def list_instances(uow: UnitOfWork, f: InstanceFilter, page: PageParams) -> Page[WorkflowInstanceRead]:
    rows, total = await WorkflowRepository.of(uow).search(f, page.offset, page.page_size)
    assert uow.company_id is not None
    names = await display_names(uow.session, uow.company_id, (t.assignee_id for _, t in rows if t))
    return Page(
        items=[instance_read(w, t, names) for w, t in rows],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


async def instance_detail(uow: UnitOfWork, instance_id: UUID) -> WorkflowInstanceDetailRead:
    repo = WorkflowRepository.of(uow)
    instance = await repo.get_or_404(WorkflowInstance.id == instance_id, detail=NO_INSTANCE)
    tasks = await TaskRepository.of(uow).of_instance(instance.id)
    current = next((t for t in tasks if t.id == instance.current_task_instance_id), None)
    decisions = [DecisionRead.model_validate(d) for d in await repo.decisions(instance.id)]
    names = await display_names(uow.session, repo.company_id, [current.assignee_id if current else None])
    return WorkflowInstanceDetailRead(
        **instance_read(instance, current, names).model_dump(),
        workflow_data=instance.workflow_data,
        path=[
            PathStepRead(
                task_instance_id=t.id,
                task_key=t.task_key,
                name=t.name,
                task_type=t.task_type,
                status=t.status,
                sequence=t.sequence,
            )
            for t in tasks
        ],
        transitions_taken=[d for d in decisions if d.outcome == "transition"],
        decisions=decisions,
    )


def history_entries(rows: Sequence[HistoryEntry]) -> list[HistoryEntryRead]:
    return [entry for row in rows for entry in HistoryEntryRead.of_row(row)]


async def instance_history(uow: UnitOfWork, instance_id: UUID, page: PageParams) -> Page[HistoryEntryRead]:
    repo = WorkflowRepository.of(uow)
    await repo.get_or_404(WorkflowInstance.id == instance_id, detail=NO_INSTANCE)
    # Pages count changes, not rows: a row holds every change of one step.
    entries = history_entries(await repo.history(instance_id))
    assert uow.company_id is not None
    shown = await with_actor_names(
        uow.session, uow.company_id, entries[page.offset : page.offset + page.page_size]
    )
    return Page(
        items=shown,
        total=len(entries),
        page=page.page,
        page_size=page.page_size,
    )
