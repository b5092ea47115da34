from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import AllowlistEntry


async def list_entries(session: AsyncSession, company_id: UUID) -> list[AllowlistEntry]:
    rows = await session.scalars(
        select(AllowlistEntry)
        .where(AllowlistEntry.company_id == company_id)
        .order_by(AllowlistEntry.created_at, AllowlistEntry.id)
    )
    return list(rows)


async def add(
    session: AsyncSession, company_id: UUID, entry: str, kind: str, note: str
) -> AllowlistEntry | None:
    """The new entry, or None when the company already has it."""
    row_id = await session.scalar(
        insert(AllowlistEntry)
        .values(company_id=company_id, entry=entry, kind=kind, note=note)
        .on_conflict_do_nothing(index_elements=[AllowlistEntry.company_id, AllowlistEntry.entry])
        .returning(AllowlistEntry.id)
    )
    if row_id is None:
        return None
    return await session.get_one(AllowlistEntry, (company_id, row_id))


async def remove(session: AsyncSession, company_id: UUID, entry_id: UUID) -> bool:
    result = await session.execute(
        delete(AllowlistEntry)
        .where(AllowlistEntry.company_id == company_id, AllowlistEntry.id == entry_id)
        .returning(AllowlistEntry.id)
    )
    return result.scalar_one_or_none() is not None
