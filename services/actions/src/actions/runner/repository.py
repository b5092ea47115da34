"""SQL of the runners: the job of each action task instance, and the queue runners take jobs
from. The queue is read across companies (it holds ids and times only); everything else is
scoped to one company. Each step of a job is one statement, so a call costs few round trips."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import case, delete, exists, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import insert

from actions.models import LIVE_STATUSES, ActionJob, JobStatus, QueuedJob
from common.repository import CompanyRepository, SystemRepository
from contracts.engine import ActionRequested


@dataclass(frozen=True)
class Claim:
    """A due job a runner now holds, until its lease runs out."""

    company_id: UUID
    task_instance_id: UUID
    # The runner that held it last died (or stalled) with its lease: its call may have reached
    # the receiving system.
    retaken: bool


@dataclass(frozen=True)
class TakenJob:
    """A job as one take of it sees it: the attempt it answers and how far its calls got."""

    request: dict[str, Any]
    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int
    host: str
    http_calls: int
    answer_by: datetime
    deadline_at: datetime | None


@dataclass(frozen=True)
class FinishedJob:
    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int
    host: str


def _now() -> Any:
    # The statement's own time, not the transaction's: due times compare across transactions.
    return func.clock_timestamp()


_CLAIM = text(
    """
    WITH busy AS (
        SELECT * FROM unnest(CAST(:busy_companies AS uuid[]), CAST(:busy_counts AS int[]))
            AS b(company_id, n)
    ), quota AS (
        SELECT c.company_id, :company_cap - coalesce(b.n, 0) AS allowed
        FROM (
            SELECT DISTINCT company_id FROM actions.action_queue WHERE due_at <= clock_timestamp()
        ) AS c
        LEFT JOIN busy AS b ON b.company_id = c.company_id
        WHERE :company_cap - coalesce(b.n, 0) > 0
    ), taken AS (
        SELECT q.company_id, q.task_instance_id, q.lease_owner, q.due_at
        FROM quota CROSS JOIN LATERAL (
            SELECT company_id, task_instance_id, lease_owner, due_at
            FROM actions.action_queue
            WHERE company_id = quota.company_id AND due_at <= clock_timestamp()
            ORDER BY due_at
            LIMIT quota.allowed
            FOR UPDATE SKIP LOCKED
        ) AS q
    ), chosen AS (
        SELECT company_id, task_instance_id, lease_owner,
               row_number() OVER (PARTITION BY company_id ORDER BY due_at) AS turn
        FROM taken
        ORDER BY turn, random()
        LIMIT :free
    )
    UPDATE actions.action_queue AS q
    SET due_at = clock_timestamp() + make_interval(secs => q.lease_seconds), lease_owner = :owner
    FROM chosen
    WHERE q.company_id = chosen.company_id AND q.task_instance_id = chosen.task_instance_id
    RETURNING q.company_id, q.task_instance_id, chosen.lease_owner IS NOT NULL AS retaken
    """
)


class ActionJobRepository(CompanyRepository[ActionJob]):
    """The jobs of one company (a claim names the company of its job)."""

    model = ActionJob

    async def enqueue(
        self,
        request: ActionRequested,
        host: str,
        *,
        budget_seconds: float,
        lease_seconds: float,
    ) -> bool:
        """Record the request as its task's job, and queue it. A redelivered request, or one of an
        earlier attempt, changes nothing. A newer attempt takes over the job: a live one simply
        answers for the newer attempt (no second call is queued behind the first), a finished one
        is queued again. True when a job was newly queued."""
        stmt = insert(ActionJob).values(
            company_id=self.company_id,
            task_instance_id=request.task_instance_id,
            request_id=request.request_id,
            workflow_instance_id=request.workflow_instance_id,
            attempt=request.attempt,
            task_type=request.task_type,
            host=host[:255],
            request=request.model_dump(mode="json"),
            status=JobStatus.QUEUED,
            deadline_at=request.deadline_at,
            budget_seconds=budget_seconds,
        )
        live = ActionJob.status.in_(LIVE_STATUSES)

        def kept_while_live(column: Any, otherwise: Any) -> Any:
            return case((live, column), else_=otherwise)

        job = (
            stmt.on_conflict_do_update(
                index_elements=[ActionJob.company_id, ActionJob.task_instance_id],
                set_={
                    "request_id": stmt.excluded.request_id,
                    "attempt": stmt.excluded.attempt,
                    "request": stmt.excluded.request,
                    "host": stmt.excluded.host,
                    "deadline_at": stmt.excluded.deadline_at,
                    "budget_seconds": stmt.excluded.budget_seconds,
                    "status": kept_while_live(ActionJob.status, JobStatus.QUEUED.value),
                    "answer_by": kept_while_live(ActionJob.answer_by, None),
                    "http_calls": kept_while_live(ActionJob.http_calls, 0),
                    "started_at": kept_while_live(ActionJob.started_at, None),
                    "finished_at": None,
                    "updated_at": func.now(),
                },
                where=ActionJob.attempt < stmt.excluded.attempt,
            )
            .returning(ActionJob.company_id, ActionJob.task_instance_id, ActionJob.status)
            .cte("job")
        )
        queued = await self.session.scalar(
            insert(QueuedJob)
            .from_select(
                ["company_id", "task_instance_id", "due_at", "lease_seconds"],
                select(job.c.company_id, job.c.task_instance_id, _now(), literal(lease_seconds)).where(
                    job.c.status == JobStatus.QUEUED.value
                ),
            )
            .on_conflict_do_nothing()
            .returning(QueuedJob.task_instance_id)
        )
        return queued is not None

    async def take(self, claim: Claim) -> TakenJob | None:
        """Count the call about to be made and mark the job running; a fresh take (the first of
        the attempt, or one after a dead runner) starts the attempt's budget. None when the job is
        no longer live (the queue row outlived it)."""
        fresh = ActionJob.answer_by.is_(None) | literal(claim.retaken)
        row = (
            await self.session.execute(
                update(ActionJob)
                .where(
                    self.owned(),
                    ActionJob.task_instance_id == claim.task_instance_id,
                    ActionJob.status.in_(LIVE_STATUSES),
                )
                .values(
                    http_calls=ActionJob.http_calls + 1,
                    status=JobStatus.RUNNING,
                    started_at=func.coalesce(ActionJob.started_at, _now()),
                    answer_by=case(
                        (fresh, _now() + func.make_interval(0, 0, 0, 0, 0, 0, ActionJob.budget_seconds)),
                        else_=ActionJob.answer_by,
                    ),
                    updated_at=func.now(),
                )
                .returning(
                    ActionJob.request,
                    ActionJob.request_id,
                    ActionJob.workflow_instance_id,
                    ActionJob.task_instance_id,
                    ActionJob.attempt,
                    ActionJob.host,
                    ActionJob.http_calls,
                    ActionJob.answer_by,
                    ActionJob.deadline_at,
                )
            )
        ).one_or_none()
        return TakenJob(**row._mapping) if row is not None else None

    async def schedule_retry(
        self,
        claim: Claim,
        owner: str,
        delay: float,
        *,
        last_status: int | None,
        error: str | None,
    ) -> bool:
        """Hand the job back to the queue, due after `delay`. False when this runner no longer holds
        it (its lease ran out and another runner took it)."""
        handed = (
            update(QueuedJob)
            .where(
                self.owned(QueuedJob),
                QueuedJob.task_instance_id == claim.task_instance_id,
                QueuedJob.lease_owner == owner,
            )
            .values(due_at=_now() + timedelta(seconds=delay), lease_owner=None)
            .returning(QueuedJob.task_instance_id)
            .cte("handed")
        )
        done = await self.session.scalar(
            update(ActionJob)
            .add_cte(handed)
            .where(
                self.owned(),
                ActionJob.task_instance_id == claim.task_instance_id,
                exists(select(handed.c.task_instance_id)),
            )
            .values(status=JobStatus.QUEUED, last_status=last_status, error=error, updated_at=func.now())
            .returning(ActionJob.task_instance_id)
            .execution_options(synchronize_session=False)
        )
        return done is not None

    async def finish(
        self,
        claim: Claim,
        owner: str,
        *,
        status: JobStatus,
        last_status: int | None,
        error: str | None,
    ) -> FinishedJob | None:
        """Record how the job ended and take it out of the queue, if this runner still holds it
        (None otherwise). Returns the attempt it answers: a newer one that arrived while it ran."""
        dequeued = (
            delete(QueuedJob)
            .where(
                self.owned(QueuedJob),
                QueuedJob.task_instance_id == claim.task_instance_id,
                QueuedJob.lease_owner == owner,
            )
            .returning(QueuedJob.task_instance_id)
            .cte("dequeued")
        )
        row = (
            await self.session.execute(
                update(ActionJob)
                .add_cte(dequeued)
                .where(
                    self.owned(),
                    ActionJob.task_instance_id == claim.task_instance_id,
                    ActionJob.status.in_(LIVE_STATUSES),
                    exists(select(dequeued.c.task_instance_id)),
                )
                .values(
                    status=status,
                    finished_at=_now(),
                    last_status=last_status,
                    error=error,
                    duration_ms=func.extract("epoch", _now() - ActionJob.started_at) * 1000,
                    updated_at=func.now(),
                )
                .returning(
                    ActionJob.request_id,
                    ActionJob.workflow_instance_id,
                    ActionJob.task_instance_id,
                    ActionJob.attempt,
                    ActionJob.host,
                )
                .execution_options(synchronize_session=False)
            )
        ).one_or_none()
        return FinishedJob(**row._mapping) if row is not None else None

    async def dequeue(self, claim: Claim) -> None:
        """Take a queue row out whose job is no longer live."""
        await self.session.execute(
            delete(QueuedJob).where(
                self.owned(QueuedJob), QueuedJob.task_instance_id == claim.task_instance_id
            )
        )

    async def host_stats(self) -> list[dict[str, Any]]:
        def count_of(status: JobStatus) -> Any:
            return func.count(case((ActionJob.status == status, 1)))

        rows = await self.session.execute(
            select(
                ActionJob.host,
                func.count().label("requests"),
                func.coalesce(func.sum(ActionJob.http_calls), 0).label("calls"),
                count_of(JobStatus.SUCCEEDED).label("succeeded"),
                count_of(JobStatus.AWAITING_CALLBACK).label("awaiting_callback"),
                count_of(JobStatus.FAILED).label("failed"),
                func.avg(ActionJob.duration_ms).label("avg_ms"),
                func.percentile_cont(0.95).within_group(ActionJob.duration_ms).label("p95_ms"),
            )
            .where(self.owned(), ActionJob.status.not_in(LIVE_STATUSES))
            .group_by(ActionJob.host)
            .order_by(ActionJob.host)
        )
        return [dict(row._mapping) for row in rows]


class ActionQueueRepository(SystemRepository):
    """The queue runners take jobs from, across companies (it holds ids and times only)."""

    async def claim(self, owner: str, *, busy: dict[UUID, int], company_cap: int, free: int) -> list[Claim]:
        """Take up to `free` due jobs, at most `company_cap` minus what this runner already runs of
        each company, handed out in turns: every company's first job, then every company's second...
        Jobs another runner is taking at this moment are skipped, not waited for. Each is leased
        for its call's timeout and a margin."""
        rows = await self.session.execute(
            _CLAIM,
            {
                "busy_companies": list(busy),
                "busy_counts": list(busy.values()),
                "company_cap": company_cap,
                "free": free,
                "owner": owner,
            },
        )
        return [Claim(row.company_id, row.task_instance_id, row.retaken) for row in rows]

    async def release(self, owner: str) -> int:
        """Give back every job a stopping runner holds, due at once, for another runner to take."""
        result = await self.session.execute(
            update(QueuedJob).where(QueuedJob.lease_owner == owner).values(due_at=_now(), lease_owner=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def next_due_in(self) -> float | None:
        """Seconds until the soonest queued job is due (negative when overdue); None when empty."""
        soonest: datetime | None = await self.session.scalar(select(func.min(QueuedJob.due_at)))
        if soonest is None:
            return None
        now = await self.session.scalar(select(func.clock_timestamp()))
        assert now is not None
        return float((soonest - now).total_seconds())

    async def queue_figures(self) -> dict[str, int]:
        """Over every runner: jobs due and waiting for a runner (an expired lease counts: its runner
        died), jobs a runner holds, and retries scheduled for later."""
        row = (
            await self.session.execute(
                select(
                    func.count().filter(QueuedJob.due_at <= func.clock_timestamp()).label("waiting"),
                    func.count()
                    .filter(QueuedJob.due_at > func.clock_timestamp(), QueuedJob.lease_owner.is_not(None))
                    .label("running"),
                    func.count()
                    .filter(QueuedJob.due_at > func.clock_timestamp(), QueuedJob.lease_owner.is_(None))
                    .label("scheduled"),
                )
            )
        ).one()
        return {"waiting": row.waiting, "running": row.running, "scheduled": row.scheduled}
