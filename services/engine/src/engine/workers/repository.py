from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, text, true
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from contracts.engine import WORKED_TASK_STATUSES
from engine.models import CompanySettings, TaskInstance, Worker
from engine.workers.assignment import Candidate


class WorkerRepository(CompanyRepository[Worker]):
    model = Worker

    async def lock_assignment(self) -> None:
        """Serialise assignment within the company until the transaction ends, so two
        assignments never both read the same open-task counts."""
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended('engine.assignment:' || :company, 0))"),
            {"company": str(self.company_id)},
        )

    async def get(self, user_id: UUID) -> Worker | None:
        return await self.find(Worker.user_id == user_id)

    async def upsert(
        self,
        user_id: UUID,
        *,
        email: str,
        display_name: str,
        is_active: bool,
        is_task_worker: bool,
        company_roles: list[str] | None = None,
    ) -> Worker:
        roles = sorted(set(company_roles or []))
        await self.session.execute(
            insert(Worker)
            .values(
                company_id=self.company_id,
                user_id=user_id,
                email=email,
                display_name=display_name,
                is_active=is_active,
                is_task_worker=is_task_worker,
                company_roles=roles,
            )
            .on_conflict_do_update(
                index_elements=["company_id", "user_id"],
                set_={
                    "email": email,
                    "display_name": display_name,
                    "is_active": is_active,
                    "is_task_worker": is_task_worker,
                    "company_roles": roles,
                    "updated_at": func.now(),
                },
            )
        )
        worker = await self.session.scalars(
            self.select(Worker.user_id == user_id).execution_options(populate_existing=True)
        )
        return worker.one()

    async def candidates(
        self, *, company_role: str | None = None, passing_over: UUID | None = None
    ) -> list[Candidate]:
        """Available, active task workers with their open FORM task counts; only those holding
        `company_role` when given, and never `passing_over` (an escalation's late assignee)."""
        open_counts = (
            select(TaskInstance.assignee_id, func.count().label("open_tasks"))
            .where(
                self.owned(TaskInstance),
                TaskInstance.status.in_(WORKED_TASK_STATUSES),
                TaskInstance.assignee_id.is_not(None),
            )
            .group_by(TaskInstance.assignee_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(Worker, func.coalesce(open_counts.c.open_tasks, 0))
            .outerjoin(open_counts, open_counts.c.assignee_id == Worker.user_id)
            .where(
                self.owned(),
                Worker.is_active.is_(True),
                Worker.is_task_worker.is_(True),
                Worker.available.is_(True),
                Worker.company_roles.contains([company_role]) if company_role is not None else true(),
                Worker.user_id != passing_over if passing_over is not None else true(),
            )
            .order_by(Worker.user_id)
        )
        return [
            Candidate(worker.user_id, worker.display_name, int(count), worker.last_assigned_at)
            for worker, count in rows
        ]

    async def mark_assigned(self, user_id: UUID, at: datetime) -> None:
        worker = await self.get(user_id)
        if worker is not None:
            worker.last_assigned_at = at

    async def roster(self) -> list[tuple[Worker, int]]:
        open_counts = (
            select(TaskInstance.assignee_id, func.count().label("open_tasks"))
            .where(self.owned(TaskInstance), TaskInstance.status.in_(WORKED_TASK_STATUSES))
            .group_by(TaskInstance.assignee_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(Worker, func.coalesce(open_counts.c.open_tasks, 0))
            .outerjoin(open_counts, open_counts.c.assignee_id == Worker.user_id)
            .where(self.owned(), Worker.is_task_worker.is_(True))
            .order_by(Worker.display_name, Worker.user_id)
        )
        return [(worker, int(count)) for worker, count in rows]

    async def settings(self) -> CompanySettings | None:
        return await self.session.scalar(select(CompanySettings).where(self.owned(CompanySettings)))

    async def put_strategy(self, strategy: str) -> CompanySettings:
        await self.session.execute(
            insert(CompanySettings)
            .values(company_id=self.company_id, assignment_strategy=strategy)
            .on_conflict_do_update(
                index_elements=["company_id"],
                set_={"assignment_strategy": strategy, "updated_at": func.now()},
            )
        )
        found = await self.session.scalars(
            select(CompanySettings)
            .where(self.owned(CompanySettings))
            .execution_options(populate_existing=True)
        )
        return found.one()
