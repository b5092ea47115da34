from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import Callback
from contracts.engine import ActionRequested


async def open_for_request(
    session: AsyncSession, company_id: UUID, request: ActionRequested, expires_at: datetime
) -> Callback:
    """The callback of a request, created the first time; a redelivered request gets the same
    one (and so the same URL)."""
    await session.execute(
        insert(Callback)
        .values(
            company_id=company_id,
            request_id=request.request_id,
            workflow_instance_id=request.workflow_instance_id,
            task_instance_id=request.task_instance_id,
            attempt=request.attempt,
            output_transform=request.output_transform,
            expires_at=expires_at,
        )
        .on_conflict_do_nothing(index_elements=[Callback.company_id, Callback.request_id])
    )
    return (
        await session.execute(
            select(Callback).where(
                Callback.company_id == company_id, Callback.request_id == request.request_id
            )
        )
    ).scalar_one()


async def lock(session: AsyncSession, company_id: UUID, callback_id: UUID) -> Callback | None:
    return (
        await session.execute(
            select(Callback)
            .where(Callback.company_id == company_id, Callback.id == callback_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).scalar_one_or_none()


async def mark_used(session: AsyncSession, company_id: UUID, callback_id: UUID) -> None:
    await session.execute(
        update(Callback)
        .where(Callback.company_id == company_id, Callback.id == callback_id, Callback.used_at.is_(None))
        .values(used_at=func.now())
    )
