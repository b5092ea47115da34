from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from common.repository import CompanyRepository
from engine.models import Timer


class TimerRepository(CompanyRepository[Timer]):
    """Timers of one company, plus the scheduler's claim of the next due timer of any company
    (before it knows which company that is)."""

    model = Timer

    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        super().__init__(session, company_id)
        # Changes held for the step's one statement of additions (`pending`): timers to set by
        # (task, kind), and tasks whose timers go.
        self._scheduled: dict[tuple[UUID, str], tuple[int, datetime]] = {}
        self._cancelled: list[UUID] = []
        self.on_pending: Callable[[], None] = lambda: None

    async def schedule(self, task_instance_id: UUID, kind: str, attempt: int, due_at: datetime) -> None:
        """Set the task's timer of `kind` (replacing the one it has), with the step's writes."""
        self._scheduled[(task_instance_id, kind)] = (attempt, due_at)
        # A task scheduled again keeps its timers of other kinds: a cancel along with the next
        # timer is not for it.
        self._cancelled = [t for t in self._cancelled if t != task_instance_id]
        self.on_pending()

    def cancel_with_next(self, task_instance_id: UUID) -> None:
        """Cancel the task's timers with the step's writes (the statement that sets the next
        timer), unless the task is scheduled again in the same step."""
        self._scheduled = {k: v for k, v in self._scheduled.items() if k[0] != task_instance_id}
        self._cancelled.append(task_instance_id)
        self.on_pending()

    def pending(self) -> tuple[list[tuple[UUID, str, int, datetime]], list[UUID]]:
        """The held changes, and forgotten here: the timers to set (task, kind, attempt, due
        time) and the tasks whose timers go. The step writes them with its additions."""
        scheduled = [(task, kind, attempt, due) for (task, kind), (attempt, due) in self._scheduled.items()]
        cancelled = self._cancelled
        self._scheduled = {}
        self._cancelled = []
        return scheduled, cancelled

    async def cancel(self, task_instance_id: UUID) -> None:
        """Delete the task's timers now (and forget those held for it)."""
        self._scheduled = {k: v for k, v in self._scheduled.items() if k[0] != task_instance_id}
        await self.session.execute(
            delete(Timer).where(self.owned(), Timer.task_instance_id == task_instance_id)
        )

    async def fire_now(self, task_instance_id: UUID) -> None:
        """Make the task's timers due now (those held for the step's writes too)."""
        now = datetime.now(UTC)
        self._scheduled = {
            key: (attempt, now if key[0] == task_instance_id else due)
            for key, (attempt, due) in self._scheduled.items()
        }
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
