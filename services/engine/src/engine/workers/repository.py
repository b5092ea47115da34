from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from contracts.engine import WORKED_TASK_STATUSES
from engine.models import TaskInstance, Worker, WorkerGroupMember
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
        company_roles: list[str],
    ) -> Worker:
        await self.session.execute(
            insert(Worker)
            .values(
                company_id=self.company_id,
                user_id=user_id,
                email=email,
                display_name=display_name,
                is_active=is_active,
                is_task_worker=is_task_worker,
                company_roles=company_roles,
            )
            .on_conflict_do_update(
                index_elements=["company_id", "user_id"],
                set_={
                    "email": email,
                    "display_name": display_name,
                    "is_active": is_active,
                    "is_task_worker": is_task_worker,
                    "company_roles": company_roles,
                    "updated_at": func.now(),
                },
            )
        )
        worker = await self.session.scalars(
            self.select(Worker.user_id == user_id).execution_options(populate_existing=True)
        )
        return worker.one()

    async def candidates(
        self,
        *,
        group_id: UUID | None = None,
        company_role: str | None = None,
        passing_over: UUID | None = None,
    ) -> list[Candidate]:
        """Available, active task workers with their open FORM task counts; only the members of
        `group_id`, or the holders of `company_role`, when given, and never `passing_over` (an
        escalation's late assignee)."""
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
        query = (
            select(Worker, func.coalesce(open_counts.c.open_tasks, 0))
            .outerjoin(open_counts, open_counts.c.assignee_id == Worker.user_id)
            .where(
                self.owned(),
                Worker.is_active.is_(True),
                Worker.is_task_worker.is_(True),
                Worker.available.is_(True),
            )
            .order_by(Worker.user_id)
        )
        if group_id is not None:
            query = query.where(
                select(WorkerGroupMember.user_id)
                .where(
                    self.owned(WorkerGroupMember),
                    WorkerGroupMember.group_id == group_id,
                    WorkerGroupMember.user_id == Worker.user_id,
                )
                .exists()
            )
        if company_role is not None:
            query = query.where(Worker.company_roles.contains([company_role]))
        if passing_over is not None:
            query = query.where(Worker.user_id != passing_over)
        rows = await self.session.execute(query)
        return [
            Candidate(worker.user_id, worker.display_name, int(count), worker.last_assigned_at)
            for worker, count in rows
        ]

    async def mark_assigned(self, user_id: UUID, at: datetime) -> None:
        # Written at once, in one statement: the next choice in the same transaction (a queue
        # being assigned) orders by it.
        await self.session.execute(
            update(Worker).where(self.owned(), Worker.user_id == user_id).values(last_assigned_at=at)
        )

    async def open_task_count(self, user_id: UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).where(
                self.owned(TaskInstance),
                TaskInstance.assignee_id == user_id,
                TaskInstance.status.in_(WORKED_TASK_STATUSES),
            )
        )
        return int(count or 0)

    async def names(self, user_ids: set[UUID]) -> dict[UUID, str]:
        """Display names of users of the company (every user is known, not only workers)."""
        if not user_ids:
            return {}
        rows = await self.session.execute(
            select(Worker.user_id, Worker.display_name).where(self.owned(), Worker.user_id.in_(user_ids))
        )
        return {user_id: name for user_id, name in rows}

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
