from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import Company


def add(session: AsyncSession, company: Company) -> None:
    session.add(company)


async def name_of(session: AsyncSession, company_id: UUID) -> str | None:
    return await session.scalar(select(Company.name).where(Company.company_id == company_id))
