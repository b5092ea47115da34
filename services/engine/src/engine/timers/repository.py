from datetime import datetime
from uuid import UUID

from sqlalchemy import Delete, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.repository import CompanyRepository
from contracts.ids import uuid7
from engine.models import Timer


class TimerRepository(CompanyRepository[Timer]):
    """Timers of one company, plus the scheduler's claim of the next due timer of any company
    (before it knows which company that is)."""

    model = Timer

    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        super().__init__(session, company_id)
        self._cancelled: list[UUID] = []

    async def schedule(self, task_instance_id: UUID, kind: str, attempt: int, due_at: datetime) -> None:
        stmt = (
            insert(Timer)
            .values(
                company_id=self.company_id,
                id=uuid7(),
                task_instance_id=task_instance_id,
                kind=kind,
                attempt=attempt,
                due_at=due_at,
            )
            .on_conflict_do_update(
                index_elements=["company_id", "task_instance_id", "kind"],
                set_={"attempt": attempt, "due_at": due_at},
            )
        )
        # The upsert replaces this task's own timer; other cancelled ones go in the same statement.
        cancelled = [t for t in self._cancelled if t != task_instance_id]
        self._cancelled.clear()
        if cancelled:
            stmt = stmt.add_cte(self._deleting(cancelled).cte("cancelled"))
        await self.session.execute(stmt)

    def cancel_with_next(self, task_instance_id: UUID) -> None:
        """Cancel the task's timers along with the next timer scheduled here (one statement
        less per step); `apply_cancels` runs what no schedule took along."""
        self._cancelled.append(task_instance_id)

    async def apply_cancels(self) -> None:
        if self._cancelled:
            cancelled = list(self._cancelled)
            self._cancelled.clear()
            await self.session.execute(self._deleting(cancelled))

    def _deleting(self, task_instance_ids: list[UUID]) -> Delete:
        return delete(Timer).where(self.owned(), Timer.task_instance_id.in_(task_instance_ids))

    async def cancel(self, task_instance_id: UUID) -> None:
        await self.session.execute(
            delete(Timer).where(self.owned(), Timer.task_instance_id == task_instance_id)
        )

    async def fire_now(self, task_instance_id: UUID) -> None:
        await self.session.execute(
            update(Timer)
            .where(self.owned(), Timer.task_instance_id == task_instance_id)
            .values(due_at=func.now())
        )

    @staticmethod
    async def claim_next_due(session: AsyncSession) -> Timer | None:
        """The next due timer of any company, locked so that another engine replica skips it;
        the lock lasts until the transaction that handles it ends."""
        return await session.scalar(
            select(Timer)
            .where(Timer.due_at <= func.now())
            .order_by(Timer.due_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )

    @staticmethod
    async def remove(session: AsyncSession, timer: Timer) -> None:
        """Remove a claimed timer (of the company it names)."""
        await session.execute(delete(Timer).where(Timer.company_id == timer.company_id, Timer.id == timer.id))
