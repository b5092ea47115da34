"""The actions schema's aggregates for reports, scoped by company."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, case, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import ActionJob, JobStatus


async def failures_by_host(
    session: AsyncSession, company_id: UUID, start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """Per target host, the action requests that ended in the range and how many failed. The
    last failure's error comes from the newest failed job (`DISTINCT ON` keeps one per host)."""
    ended = and_(
        ActionJob.company_id == company_id,
        ActionJob.finished_at >= start,
        ActionJob.finished_at < end,
    )
    failed = ActionJob.status == JobStatus.FAILED
    counts = await session.execute(
        select(
            ActionJob.host,
            func.count().label("finished"),
            func.count(case((failed, 1))).label("failed"),
            func.coalesce(func.sum(ActionJob.http_calls), 0).label("http_calls"),
        )
        .where(ended)
        .group_by(ActionJob.host)
    )
    last = await session.execute(
        select(ActionJob.host, ActionJob.finished_at, ActionJob.error)
        .where(ended, failed)
        .ext(distinct_on(ActionJob.host))
        .order_by(ActionJob.host, ActionJob.finished_at.desc())
    )
    newest = {row.host: (row.finished_at, row.error) for row in last}
    rows = []
    for row in counts:
        at, error = newest.get(row.host, (None, None))
        rows.append({**row._mapping, "last_failure_at": at, "last_error": error})
    return rows
