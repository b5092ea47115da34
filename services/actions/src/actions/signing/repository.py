from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import CompanySecret


async def get(session: AsyncSession, company_id: UUID, *, for_update: bool = False) -> CompanySecret | None:
    stmt = select(CompanySecret).where(CompanySecret.company_id == company_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.execute(stmt)).scalar_one_or_none()


async def insert_if_missing(session: AsyncSession, company_id: UUID, secret: str) -> None:
    """Concurrent first uses agree on one secret: the loser's insert does nothing."""
    await session.execute(
        insert(CompanySecret)
        .values(company_id=company_id, secret=secret)
        .on_conflict_do_nothing(index_elements=[CompanySecret.company_id])
    )


async def replace(
    session: AsyncSession, row: CompanySecret, secret: str, previous_valid_until: datetime
) -> CompanySecret:
    row.previous_secret = row.secret
    row.previous_valid_until = previous_valid_until
    row.secret = secret
    await session.flush()
    await session.refresh(row)
    return row
