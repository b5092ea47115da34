from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from engine.models import Decision, HistoryEntry, TaskInstance, WorkflowInstance


@dataclass(frozen=True)
class InstanceFilter:
    status: str | None = None
    ticket_id: UUID | None = None
    workflow_key: str | None = None
    ticket_definition_key: str | None = None


class WorkflowRepository(CompanyRepository[WorkflowInstance]):
    model = WorkflowInstance

    def add(self, item: WorkflowInstance | Decision | HistoryEntry) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, instance_id: UUID, *, for_update: bool = False) -> WorkflowInstance | None:
        query = self.select(WorkflowInstance.id == instance_id)
        if for_update:
            # Every change of an instance (API, consumer, timer) holds this row lock first, then
            # re-reads what it changes, so concurrent changes apply one after another.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def locked_with_task(
        self, task_id: UUID, instance_id: UUID | None = None
    ) -> tuple[WorkflowInstance, TaskInstance] | None:
        """A task and its instance (which must be `instance_id` when given), read and locked in
        one statement. Both rows are locked, the instance first (the order the lock clause
        names them, the order every change takes), so that a statement that waited for another
        change of the instance reads both rows as that change left them: under READ COMMITTED
        only locked rows are read again after a wait."""
        query = (
            select(WorkflowInstance, TaskInstance)
            .join(
                TaskInstance,
                (TaskInstance.company_id == WorkflowInstance.company_id)
                & (TaskInstance.workflow_instance_id == WorkflowInstance.id),
            )
            .where(self.owned(), self.owned(TaskInstance), TaskInstance.id == task_id)
            .with_for_update(of=[WorkflowInstance, TaskInstance])
            .execution_options(populate_existing=True)
        )
        if instance_id is not None:
            query = query.where(WorkflowInstance.id == instance_id)
        row = (await self.session.execute(query)).first()
        return (row[0], row[1]) if row is not None else None

    async def add_for_ticket(self, **values: Any) -> WorkflowInstance | None:
        """Write the ticket's instance unless the ticket has one already, in one statement: the
        new instance, as the session's own (every column read back), or None."""
        instance: WorkflowInstance | None = await self.session.scalar(
            insert(WorkflowInstance)
            .values(company_id=self.company_id, **values)
            .on_conflict_do_nothing(index_elements=[WorkflowInstance.company_id, WorkflowInstance.ticket_id])
            .returning(WorkflowInstance)
        )
        return instance

    async def by_ticket(self, ticket_id: UUID) -> WorkflowInstance | None:
        return await self.find(WorkflowInstance.ticket_id == ticket_id)

    async def decided(self, task_instance_id: UUID) -> bool:
        found = await self.session.scalar(
            select(Decision.id).where(
                self.owned(Decision),
                Decision.from_task_instance_id == task_instance_id,
                Decision.outcome != "incident",
            )
        )
        return found is not None

    async def decisions(self, instance_id: UUID) -> Sequence[Decision]:
        return (
            await self.session.scalars(
                select(Decision)
                .where(self.owned(Decision), Decision.workflow_instance_id == instance_id)
                .order_by(Decision.created_at, Decision.id)
            )
        ).all()

    async def history(self, instance_id: UUID) -> Sequence[HistoryEntry]:
        """Every history row of the instance, oldest first (one per step)."""
        return (
            await self.session.scalars(
                select(HistoryEntry)
                .where(
                    self.owned(HistoryEntry),
                    HistoryEntry.workflow_instance_id == instance_id,
                )
                .order_by(HistoryEntry.occurred_at, HistoryEntry.id)
            )
        ).all()

    async def search(
        self, f: InstanceFilter, offset: int, limit: int
    ) -> tuple[list[tuple[WorkflowInstance, TaskInstance | None]], int]:
        query = (
            select(WorkflowInstance, TaskInstance)
            .outerjoin(
                TaskInstance,
                (TaskInstance.company_id == WorkflowInstance.company_id)
                & (TaskInstance.id == WorkflowInstance.current_task_instance_id),
            )
            .where(self.owned())
        )
        if f.status:
            query = query.where(WorkflowInstance.status == f.status)
        if f.ticket_id:
            query = query.where(WorkflowInstance.ticket_id == f.ticket_id)
        if f.workflow_key:
            query = query.where(WorkflowInstance.workflow_key == f.workflow_key)
        if f.ticket_definition_key:
            query = query.where(WorkflowInstance.ticket_definition_key == f.ticket_definition_key)
        query = query.order_by(WorkflowInstance.created_at.desc(), WorkflowInstance.id.desc())
        return await self.paged_rows(query, offset=offset, limit=limit)
