from typing import Any
from uuid import UUID

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import ActionAttempt, AttemptOutcome
from contracts.engine import ActionRequested


async def claim(session: AsyncSession, company_id: UUID, request: ActionRequested, host: str) -> bool:
    """Record the request as being handled; False when it already was. A runner handling the
    same request at this moment holds the row, so this waits for its commit (then: False) or
    its rollback (then: True)."""
    claimed = await session.scalar(
        insert(ActionAttempt)
        .values(
            company_id=company_id,
            request_id=request.request_id,
            workflow_instance_id=request.workflow_instance_id,
            task_instance_id=request.task_instance_id,
            attempt=request.attempt,
            task_type=request.task_type,
            host=host[:255],
            outcome=AttemptOutcome.RUNNING,
        )
        .on_conflict_do_nothing(index_elements=[ActionAttempt.company_id, ActionAttempt.request_id])
        .returning(ActionAttempt.request_id)
    )
    return claimed is not None


async def finish(
    session: AsyncSession,
    company_id: UUID,
    request_id: UUID,
    *,
    outcome: AttemptOutcome,
    http_calls: int,
    last_status: int | None,
    duration_ms: int,
    error: str | None,
) -> None:
    await session.execute(
        update(ActionAttempt)
        .where(ActionAttempt.company_id == company_id, ActionAttempt.request_id == request_id)
        .values(
            outcome=outcome,
            http_calls=http_calls,
            last_status=last_status,
            duration_ms=duration_ms,
            error=error[:4000] if error else None,
        )
    )


async def host_stats(session: AsyncSession, company_id: UUID) -> list[dict[str, Any]]:
    def count_of(outcome: AttemptOutcome) -> Any:
        return func.count(case((ActionAttempt.outcome == outcome, 1)))

    rows = await session.execute(
        select(
            ActionAttempt.host,
            func.count().label("requests"),
            func.coalesce(func.sum(ActionAttempt.http_calls), 0).label("calls"),
            count_of(AttemptOutcome.SUCCEEDED).label("succeeded"),
            count_of(AttemptOutcome.AWAITING_CALLBACK).label("awaiting_callback"),
            count_of(AttemptOutcome.FAILED).label("failed"),
            func.avg(ActionAttempt.duration_ms).label("avg_ms"),
            func.percentile_cont(0.95).within_group(ActionAttempt.duration_ms).label("p95_ms"),
        )
        .where(ActionAttempt.company_id == company_id, ActionAttempt.outcome != AttemptOutcome.RUNNING)
        .group_by(ActionAttempt.host)
        .order_by(ActionAttempt.host)
    )
    return [dict(row._mapping) for row in rows]
