from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.ids import uuid7
from identity.models import CompanyRole


async def list_for(session: AsyncSession, company_id: UUID) -> list[CompanyRole]:
    rows = await session.scalars(
        select(CompanyRole)
        .where(CompanyRole.company_id == company_id)
        .order_by(CompanyRole.is_default.desc(), func.lower(CompanyRole.name))
    )
    return list(rows)


async def get(session: AsyncSession, company_id: UUID, role_id: UUID) -> CompanyRole | None:
    return (
        await session.scalars(
            select(CompanyRole)
            .where(CompanyRole.company_id == company_id, CompanyRole.id == role_id)
            .with_for_update()
        )
    ).one_or_none()


async def by_names(session: AsyncSession, company_id: UUID, names: Sequence[str]) -> list[CompanyRole]:
    if not names:
        return []
    rows = await session.scalars(
        select(CompanyRole).where(
            CompanyRole.company_id == company_id, func.lower(CompanyRole.name).in_([n.lower() for n in names])
        )
    )
    return list(rows)


async def name_taken(
    session: AsyncSession, company_id: UUID, name: str, except_id: UUID | None = None
) -> bool:
    stmt = select(CompanyRole.id).where(
        CompanyRole.company_id == company_id, func.lower(CompanyRole.name) == name.lower()
    )
    if except_id is not None:
        stmt = stmt.where(CompanyRole.id != except_id)
    return (await session.scalar(stmt)) is not None


async def insert_role(
    session: AsyncSession, company_id: UUID, name: str, description: str, *, is_default: bool = False
) -> CompanyRole | None:
    """Insert a role; None when the company already has one of that name (case-insensitively)."""
    role_id = await session.scalar(
        insert(CompanyRole)
        .values(company_id=company_id, id=uuid7(), name=name, description=description, is_default=is_default)
        .on_conflict_do_nothing()
        .returning(CompanyRole.id)
    )
    if role_id is None:
        return None
    return await get(session, company_id, role_id)


async def remove(session: AsyncSession, company_id: UUID, role_id: UUID) -> None:
    await session.execute(
        delete(CompanyRole).where(CompanyRole.company_id == company_id, CompanyRole.id == role_id)
    )
