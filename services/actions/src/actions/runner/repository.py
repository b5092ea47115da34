"""SQL of the runners: the job of each action task instance, and the queue runners take jobs
from. The queue is read across companies (it holds ids and times only); everything else is
scoped to one company."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import LIVE_STATUSES, ActionJob, JobStatus, QueuedJob
from contracts.engine import ActionRequested


@dataclass(frozen=True)
class Claim:
    """A due job a runner now holds, until its lease runs out."""

    company_id: UUID
    task_instance_id: UUID
    # The runner that held it last died (or stalled) with its lease: its call may have reached
    # the receiving system.
    retaken: bool


async def enqueue(session: AsyncSession, company_id: UUID, request: ActionRequested, host: str) -> bool:
    """Record the request as its task's job. A redelivered request, or one of an earlier attempt,
    changes nothing. A newer attempt takes over the job: a live one simply answers for the newer
    attempt (no second call is queued behind the first), a finished one is queued again.
    True when there is new work for the runners."""
    stmt = insert(ActionJob).values(
        company_id=company_id,
        task_instance_id=request.task_instance_id,
        request_id=request.request_id,
        workflow_instance_id=request.workflow_instance_id,
        attempt=request.attempt,
        task_type=request.task_type,
        host=host[:255],
        request=request.model_dump(mode="json"),
        status=JobStatus.QUEUED,
        deadline_at=request.deadline_at,
    )
    live = ActionJob.status.in_(LIVE_STATUSES)

    def kept_while_live(column: Any, otherwise: Any) -> Any:
        return case((live, column), else_=otherwise)

    status = await session.scalar(
        stmt.on_conflict_do_update(
            index_elements=[ActionJob.company_id, ActionJob.task_instance_id],
            set_={
                "request_id": stmt.excluded.request_id,
                "attempt": stmt.excluded.attempt,
                "request": stmt.excluded.request,
                "host": stmt.excluded.host,
                "deadline_at": stmt.excluded.deadline_at,
                "status": kept_while_live(ActionJob.status, JobStatus.QUEUED.value),
                "answer_by": kept_while_live(ActionJob.answer_by, None),
                "http_calls": kept_while_live(ActionJob.http_calls, 0),
                "started_at": kept_while_live(ActionJob.started_at, None),
                "finished_at": None,
                "updated_at": func.now(),
            },
            where=ActionJob.attempt < stmt.excluded.attempt,
        ).returning(ActionJob.status)
    )
    if status != JobStatus.QUEUED:
        return False
    await session.execute(
        insert(QueuedJob)
        .values(
            company_id=company_id, task_instance_id=request.task_instance_id, due_at=func.clock_timestamp()
        )
        .on_conflict_do_nothing()
    )
    return True


_CLAIM = text(
    """
    WITH busy AS (
        SELECT * FROM unnest(CAST(:busy_companies AS uuid[]), CAST(:busy_counts AS int[]))
            AS b(company_id, n)
    ), quota AS (
        SELECT c.company_id, :company_cap - coalesce(b.n, 0) AS allowed
        FROM (SELECT DISTINCT company_id FROM actions.action_queue WHERE due_at <= clock_timestamp()) AS c
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
    SET due_at = clock_timestamp() + make_interval(secs => :lease_seconds), lease_owner = :owner
    FROM chosen
    WHERE q.company_id = chosen.company_id AND q.task_instance_id = chosen.task_instance_id
    RETURNING q.company_id, q.task_instance_id, chosen.lease_owner IS NOT NULL AS retaken
    """
)


async def claim(
    session: AsyncSession,
    owner: str,
    *,
    busy: dict[UUID, int],
    company_cap: int,
    free: int,
    lease_seconds: float,
) -> list[Claim]:
    """Take up to `free` due jobs, at most `company_cap` minus what this runner already runs of
    each company, handed out in turns: every company's first job, then every company's second...
    Jobs another runner is taking at this moment are skipped, not waited for."""
    rows = await session.execute(
        _CLAIM,
        {
            "busy_companies": list(busy),
            "busy_counts": list(busy.values()),
            "company_cap": company_cap,
            "free": free,
            "lease_seconds": lease_seconds,
            "owner": owner,
        },
    )
    return [Claim(row.company_id, row.task_instance_id, row.retaken) for row in rows]


async def job(
    session: AsyncSession, company_id: UUID, task_instance_id: UUID, *, lock: bool = False
) -> ActionJob | None:
    query = select(ActionJob).where(
        ActionJob.company_id == company_id, ActionJob.task_instance_id == task_instance_id
    )
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.execute(query)).scalar_one_or_none()


async def hold(session: AsyncSession, claim: Claim, owner: str, seconds: float) -> None:
    """Extend the lease of a job this runner holds to cover the call it is about to make."""
    await session.execute(
        update(QueuedJob)
        .where(
            QueuedJob.company_id == claim.company_id,
            QueuedJob.task_instance_id == claim.task_instance_id,
            QueuedJob.lease_owner == owner,
        )
        .values(due_at=func.clock_timestamp() + timedelta(seconds=seconds))
    )


async def schedule_retry(session: AsyncSession, claim: Claim, owner: str, delay: float) -> bool:
    """Hand the job back to the queue, due after `delay`. False when this runner no longer holds
    it (its lease ran out and another runner took it)."""
    handed = await session.scalar(
        update(QueuedJob)
        .where(
            QueuedJob.company_id == claim.company_id,
            QueuedJob.task_instance_id == claim.task_instance_id,
            QueuedJob.lease_owner == owner,
        )
        .values(due_at=func.clock_timestamp() + timedelta(seconds=delay), lease_owner=None)
        .returning(QueuedJob.task_instance_id)
    )
    return handed is not None


async def dequeue(session: AsyncSession, claim: Claim, owner: str | None) -> bool:
    """Take the job out of the queue; with `owner`, only if that runner still holds it."""
    query = delete(QueuedJob).where(
        QueuedJob.company_id == claim.company_id, QueuedJob.task_instance_id == claim.task_instance_id
    )
    if owner is not None:
        query = query.where(QueuedJob.lease_owner == owner)
    return await session.scalar(query.returning(QueuedJob.task_instance_id)) is not None


async def release(session: AsyncSession, owner: str) -> int:
    """Give back every job a stopping runner holds, due at once, for another runner to take."""
    result = await session.execute(
        update(QueuedJob)
        .where(QueuedJob.lease_owner == owner)
        .values(due_at=func.clock_timestamp(), lease_owner=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def next_due_in(session: AsyncSession) -> float | None:
    """Seconds until the soonest queued job is due (negative when overdue); None when empty."""
    soonest: datetime | None = await session.scalar(select(func.min(QueuedJob.due_at)))
    if soonest is None:
        return None
    now = await session.scalar(select(func.clock_timestamp()))
    assert now is not None
    return float((soonest - now).total_seconds())


async def queue_figures(session: AsyncSession) -> dict[str, int]:
    """Over every runner: jobs due and waiting for a runner (an expired lease counts: its runner
    died), jobs a runner holds, and retries scheduled for later."""
    row = (
        await session.execute(
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


async def host_stats(session: AsyncSession, company_id: UUID) -> list[dict[str, Any]]:
    def count_of(status: JobStatus) -> Any:
        return func.count(case((ActionJob.status == status, 1)))

    rows = await session.execute(
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
        .where(ActionJob.company_id == company_id, ActionJob.status.not_in(LIVE_STATUSES))
        .group_by(ActionJob.host)
        .order_by(ActionJob.host)
    )
    return [dict(row._mapping) for row in rows]
