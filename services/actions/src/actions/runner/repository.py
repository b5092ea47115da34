"""SQL of the runners: the job of each action task instance, and the queue runners take jobs
from. The queue is read across companies (it holds ids and times only); everything else is
scoped to one company. The jobs of one take, and the results of one settle, are each one
statement per company, so a call costs a fraction of a round trip. The statements a call runs
are prebuilt text: building them with the expression language cost more CPU per call (cache
keys, compiles) than running them."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import case, func, select, text, update

from actions.models import LIVE_STATUSES, ActionJob, JobStatus, QueuedJob
from common.db import driver_fetch
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

    # The stored request, as the driver hands it back (JSON text, or already decoded), or the
    # request itself when the job was taken as it was recorded.
    request: str | bytes | dict[str, Any] | ActionRequested
    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int
    host: str
    http_calls: int
    answer_by: datetime
    deadline_at: datetime | None


@dataclass(frozen=True)
class Recorded:
    """What recording a request came to: a job newly queued, and, when it was also taken, the
    time its runner promised to answer by."""

    queued: bool
    taken_answer_by: datetime | None = None


@dataclass(frozen=True)
class FinishedJob:
    request_id: UUID
    workflow_instance_id: UUID
    task_instance_id: UUID
    attempt: int
    host: str


@dataclass(frozen=True)
class JobResult:
    """How one job ended, to be recorded by a settle."""

    task_instance_id: UUID
    status: JobStatus
    last_status: int | None
    error: str | None


@dataclass(frozen=True)
class JobRetry:
    """The next try of one job, due after `delay` seconds."""

    task_instance_id: UUID
    delay: float
    last_status: int | None
    error: str | None


def _now() -> Any:
    # The statement's own time, not the transaction's: due times compare across transactions.
    return func.clock_timestamp()


_LIVE = ", ".join(f"'{status.value}'" for status in LIVE_STATUSES)

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

# A redelivered request, or one of an earlier attempt, changes nothing (the conflict's WHERE).
# A newer attempt takes over the job: a live one keeps its status and count of calls (the call
# under way answers for the newer attempt), a finished one starts again. The statement's own
# time (clock_timestamp) is used for due times, which are compared across transactions. With an
# `owner`, a job newly queued is also taken by it, as a claim and a take would: counted as its
# first call, running, its budget started, and its queue row leased to the owner. A live job's
# queue row already exists, so the queue insert returns a row only for a job newly queued.
_ENQUEUE = text(
    f"""
    WITH job AS (
        INSERT INTO actions.action_jobs AS j (
            company_id, task_instance_id, request_id, workflow_instance_id, attempt, task_type,
            host, request, status, deadline_at, budget_seconds, http_calls, started_at, answer_by
        ) VALUES (
            :company_id, :task_instance_id, :request_id, :workflow_instance_id, :attempt,
            :task_type, :host, CAST(:request AS jsonb),
            CASE WHEN CAST(:owner AS text) IS NULL
                THEN '{JobStatus.QUEUED.value}' ELSE '{JobStatus.RUNNING.value}' END,
            CAST(:deadline_at AS timestamptz), CAST(:budget_seconds AS float8),
            CASE WHEN CAST(:owner AS text) IS NULL THEN 0 ELSE 1 END,
            CASE WHEN CAST(:owner AS text) IS NOT NULL THEN clock_timestamp() END,
            CASE WHEN CAST(:owner AS text) IS NOT NULL
                THEN clock_timestamp() + make_interval(secs => CAST(:budget_seconds AS float8)) END
        )
        ON CONFLICT (company_id, task_instance_id) DO UPDATE SET
            request_id = excluded.request_id,
            attempt = excluded.attempt,
            request = excluded.request,
            host = excluded.host,
            deadline_at = excluded.deadline_at,
            budget_seconds = excluded.budget_seconds,
            status = CASE WHEN j.status IN ({_LIVE}) THEN j.status ELSE excluded.status END,
            answer_by = CASE WHEN j.status IN ({_LIVE}) THEN j.answer_by ELSE excluded.answer_by END,
            http_calls = CASE WHEN j.status IN ({_LIVE}) THEN j.http_calls ELSE excluded.http_calls END,
            started_at = CASE WHEN j.status IN ({_LIVE}) THEN j.started_at ELSE excluded.started_at END,
            finished_at = NULL,
            updated_at = now()
        WHERE j.attempt < excluded.attempt
        RETURNING j.company_id, j.task_instance_id, j.status, j.answer_by
    ), queued AS (
        INSERT INTO actions.action_queue (company_id, task_instance_id, due_at, lease_seconds, lease_owner)
        SELECT job.company_id, job.task_instance_id,
            CASE WHEN CAST(:owner AS text) IS NULL THEN clock_timestamp()
                ELSE clock_timestamp() + make_interval(secs => CAST(:lease_seconds AS float8)) END,
            CAST(:lease_seconds AS float8), CAST(:owner AS text)
        FROM job
        WHERE job.status = CASE WHEN CAST(:owner AS text) IS NULL
            THEN '{JobStatus.QUEUED.value}' ELSE '{JobStatus.RUNNING.value}' END
        ON CONFLICT DO NOTHING
        RETURNING task_instance_id
    )
    SELECT job.answer_by FROM queued JOIN job ON job.task_instance_id = queued.task_instance_id
    """  # noqa: S608 (only the module's own status constants are formatted in)
)

# Each take counts the call about to be made and marks the job running; a fresh take (the first
# of the attempt, or one after a dead runner) starts the attempt's budget.
_TAKE = text(
    f"""
    UPDATE actions.action_jobs AS j
    SET http_calls = j.http_calls + 1,
        status = '{JobStatus.RUNNING.value}',
        started_at = coalesce(j.started_at, clock_timestamp()),
        answer_by = CASE
            WHEN j.answer_by IS NULL OR t.retaken
                THEN clock_timestamp() + make_interval(secs => j.budget_seconds)
            ELSE j.answer_by
        END,
        updated_at = now()
    FROM unnest(CAST(:task_instance_ids AS uuid[]), CAST(:retaken AS boolean[]))
        AS t(task_instance_id, retaken)
    WHERE j.company_id = :company_id
        AND j.task_instance_id = t.task_instance_id
        AND j.status IN ({_LIVE})
    RETURNING j.request, j.request_id, j.workflow_instance_id, j.task_instance_id, j.attempt,
        j.host, j.http_calls, j.answer_by, j.deadline_at
    """  # noqa: S608
)

_DEQUEUE = text(
    "DELETE FROM actions.action_queue "
    "WHERE company_id = :company_id AND task_instance_id = ANY(CAST(:task_instance_ids AS uuid[]))"
)

# Only the jobs whose queue rows this runner still holds are handed back; a job whose lease ran
# out (another runner took it) is left alone.
_RETRY = text(
    f"""
    WITH r AS (
        SELECT * FROM unnest(
            CAST(:task_instance_ids AS uuid[]), CAST(:delays AS float8[]),
            CAST(:last_statuses AS int[]), CAST(:errors AS text[])
        ) AS r(task_instance_id, delay, last_status, error)
    ), handed AS (
        UPDATE actions.action_queue AS q
        SET due_at = clock_timestamp() + make_interval(secs => r.delay), lease_owner = NULL
        FROM r
        WHERE q.company_id = :company_id
            AND q.task_instance_id = r.task_instance_id
            AND q.lease_owner = :owner
        RETURNING q.task_instance_id
    )
    UPDATE actions.action_jobs AS j
    SET status = '{JobStatus.QUEUED.value}', last_status = r.last_status, error = r.error,
        updated_at = now()
    FROM r JOIN handed AS h ON h.task_instance_id = r.task_instance_id
    WHERE j.company_id = :company_id AND j.task_instance_id = r.task_instance_id
    RETURNING j.task_instance_id
    """  # noqa: S608
)

# The queue rows this runner still holds are deleted, and only their live jobs get a result.
_FINISH = text(
    f"""
    WITH r AS (
        SELECT * FROM unnest(
            CAST(:task_instance_ids AS uuid[]), CAST(:statuses AS text[]),
            CAST(:last_statuses AS int[]), CAST(:errors AS text[])
        ) AS r(task_instance_id, status, last_status, error)
    ), dequeued AS (
        DELETE FROM actions.action_queue AS q
        USING r
        WHERE q.company_id = :company_id
            AND q.task_instance_id = r.task_instance_id
            AND q.lease_owner = :owner
        RETURNING q.task_instance_id
    )
    UPDATE actions.action_jobs AS j
    SET status = r.status,
        finished_at = clock_timestamp(),
        last_status = r.last_status,
        error = r.error,
        duration_ms = extract(epoch FROM clock_timestamp() - j.started_at) * 1000,
        updated_at = now()
    FROM r JOIN dequeued AS d ON d.task_instance_id = r.task_instance_id
    WHERE j.company_id = :company_id
        AND j.task_instance_id = r.task_instance_id
        AND j.status IN ({_LIVE})
    RETURNING j.request_id, j.workflow_instance_id, j.task_instance_id, j.attempt, j.host
    """  # noqa: S608
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
        owner: str | None = None,
    ) -> Recorded:
        """Record the request as its task's job, and queue it; with an `owner`, also take it for
        that runner (its first call counted, its queue row leased). A redelivered request, or one
        of an earlier attempt, changes nothing. A newer attempt takes over the job: a live one
        simply answers for the newer attempt (no second call is queued behind the first, and
        nothing is taken), a finished one is queued again."""
        rows = await driver_fetch(
            self.session,
            _ENQUEUE,
            {
                "company_id": self.company_id,
                "task_instance_id": request.task_instance_id,
                "request_id": request.request_id,
                "workflow_instance_id": request.workflow_instance_id,
                "attempt": request.attempt,
                "task_type": request.task_type,
                "host": host[:255],
                "request": request.model_dump_json(),
                "deadline_at": request.deadline_at,
                "budget_seconds": budget_seconds,
                "lease_seconds": lease_seconds,
                "owner": owner,
            },
        )
        if not rows:
            return Recorded(queued=False)
        return Recorded(queued=True, taken_answer_by=rows[0]["answer_by"])

    async def take(self, claims: Sequence[Claim]) -> list[TakenJob]:
        """Count the call about to be made of each claimed job and mark it running, in one
        statement. A job no longer live (its queue row outlived it) is left out."""
        rows = await driver_fetch(
            self.session,
            _TAKE,
            {
                "company_id": self.company_id,
                "task_instance_ids": [claim.task_instance_id for claim in claims],
                "retaken": [claim.retaken for claim in claims],
            },
        )
        return [
            TakenJob(
                request=row["request"],
                request_id=row["request_id"],
                workflow_instance_id=row["workflow_instance_id"],
                task_instance_id=row["task_instance_id"],
                attempt=row["attempt"],
                host=row["host"],
                http_calls=row["http_calls"],
                answer_by=row["answer_by"],
                deadline_at=row["deadline_at"],
            )
            for row in rows
        ]

    async def dequeue(self, task_instance_ids: Sequence[UUID]) -> None:
        """Take queue rows out whose jobs are no longer live."""
        await self.session.execute(
            _DEQUEUE, {"company_id": self.company_id, "task_instance_ids": list(task_instance_ids)}
        )

    async def schedule_retries(self, owner: str, retries: Sequence[JobRetry]) -> set[UUID]:
        """Hand jobs back to the queue, each due after its delay. Returns the ones handed back: a
        job this runner no longer holds (its lease ran out and another runner took it) is not."""
        rows = await self.session.execute(
            _RETRY,
            {
                "company_id": self.company_id,
                "owner": owner,
                "task_instance_ids": [retry.task_instance_id for retry in retries],
                "delays": [retry.delay for retry in retries],
                "last_statuses": [retry.last_status for retry in retries],
                "errors": [retry.error for retry in retries],
            },
        )
        return {row.task_instance_id for row in rows}

    async def finish(self, owner: str, results: Sequence[JobResult]) -> list[FinishedJob]:
        """Record how jobs ended and take them out of the queue, those this runner still holds
        (the others are left out). Returns the attempt each answers: a newer one that arrived
        while it ran."""
        rows = await driver_fetch(
            self.session,
            _FINISH,
            {
                "company_id": self.company_id,
                "owner": owner,
                "task_instance_ids": [result.task_instance_id for result in results],
                "statuses": [result.status.value for result in results],
                "last_statuses": [result.last_status for result in results],
                "errors": [result.error for result in results],
            },
        )
        return [
            FinishedJob(
                request_id=row["request_id"],
                workflow_instance_id=row["workflow_instance_id"],
                task_instance_id=row["task_instance_id"],
                attempt=row["attempt"],
                host=row["host"],
            )
            for row in rows
        ]

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
