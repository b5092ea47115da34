from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from engine.models import Decision, HistoryEntry, TaskInstance, WorkflowInstance


@dataclass(frozen=True)
class InstanceFilter:
    status: str | None = None
    ticket_id: UUID | None = None
    workflow_key: str | None = None
    ticket_definition_key: str | None = None


class WorkflowRepository:
    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        self.session = session
        self.company_id = company_id

    def add(self, item: WorkflowInstance | Decision | HistoryEntry) -> None:
        self.session.add(item)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, instance_id: UUID, *, for_update: bool = False) -> WorkflowInstance | None:
        query = select(WorkflowInstance).where(
            WorkflowInstance.company_id == self.company_id, WorkflowInstance.id == instance_id
        )
        if for_update:
            # Every change of an instance (API, consumer, timer) holds this row lock first, then
            # re-reads what it changes, so concurrent changes apply one after another.
            query = query.with_for_update().execution_options(populate_existing=True)
        return await self.session.scalar(query)

    async def by_ticket(self, ticket_id: UUID) -> WorkflowInstance | None:
        return await self.session.scalar(
            select(WorkflowInstance).where(
                WorkflowInstance.company_id == self.company_id, WorkflowInstance.ticket_id == ticket_id
            )
        )

    async def decided(self, task_instance_id: UUID) -> bool:
        found = await self.session.scalar(
            select(Decision.id).where(
                Decision.company_id == self.company_id,
                Decision.from_task_instance_id == task_instance_id,
                Decision.outcome != "incident",
            )
        )
        return found is not None

    async def decisions(self, instance_id: UUID) -> Sequence[Decision]:
        return (
            await self.session.scalars(
                select(Decision)
                .where(Decision.company_id == self.company_id, Decision.workflow_instance_id == instance_id)
                .order_by(Decision.created_at, Decision.id)
            )
        ).all()

    async def history(self, instance_id: UUID) -> Sequence[HistoryEntry]:
        """Every history row of the instance, oldest first (one per step)."""
        return (
            await self.session.scalars(
                select(HistoryEntry)
                .where(
                    HistoryEntry.company_id == self.company_id,
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
            .where(WorkflowInstance.company_id == self.company_id)
        )
        if f.status:
            query = query.where(WorkflowInstance.status == f.status)
        if f.ticket_id:
            query = query.where(WorkflowInstance.ticket_id == f.ticket_id)
        if f.workflow_key:
            query = query.where(WorkflowInstance.workflow_key == f.workflow_key)
        if f.ticket_definition_key:
            query = query.where(WorkflowInstance.ticket_definition_key == f.ticket_definition_key)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.execute(
            query.order_by(WorkflowInstance.created_at.desc(), WorkflowInstance.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [(w, t) for w, t in rows], int(total or 0)
