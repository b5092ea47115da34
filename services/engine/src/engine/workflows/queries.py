"""Read models of workflow instances for the ticket team: lists, detail with the path taken,
history."""

from collections.abc import Sequence
from uuid import UUID

from common.db import UnitOfWork
from common.web import Page, PageParams
from engine.models import HistoryEntry, TaskInstance, WorkflowInstance
from engine.tasks.repository import TaskRepository
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


def _current(task: TaskInstance | None) -> CurrentTaskRead | None:
    if task is None:
        return None
    return CurrentTaskRead(
        id=task.id,
        task_key=task.task_key,
        name=task.name,
        task_type=task.task_type,
        status=task.status,
        assignee_id=task.assignee_id,
    )


def instance_read(instance: WorkflowInstance, current: TaskInstance | None) -> WorkflowInstanceRead:
    read = WorkflowInstanceRead.model_validate(instance)
    read.current_task = _current(current)
    return read


async def list_instances(uow: UnitOfWork, f: InstanceFilter, page: PageParams) -> Page[WorkflowInstanceRead]:
    rows, total = await WorkflowRepository.of(uow).search(f, page.offset, page.page_size)
    return Page(
        items=[instance_read(w, t) for w, t in rows], total=total, page=page.page, page_size=page.page_size
    )


async def instance_detail(uow: UnitOfWork, instance_id: UUID) -> WorkflowInstanceDetailRead:
    repo = WorkflowRepository.of(uow)
    instance = await repo.get_or_404(WorkflowInstance.id == instance_id, detail=NO_INSTANCE)
    tasks = await TaskRepository.of(uow).of_instance(instance.id)
    current = next((t for t in tasks if t.id == instance.current_task_instance_id), None)
    decisions = [DecisionRead.model_validate(d) for d in await repo.decisions(instance.id)]
    return WorkflowInstanceDetailRead(
        **instance_read(instance, current).model_dump(),
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
    return Page(
        items=entries[page.offset : page.offset + page.page_size],
        total=len(entries),
        page=page.page,
        page_size=page.page_size,
    )
