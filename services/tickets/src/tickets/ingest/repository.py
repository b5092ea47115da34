from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from common.repository import CompanyRepository
from tickets.models import InboundRejection, IngestKey, IngestKeyDirectory


class IngestKeyRepository(CompanyRepository[IngestKey]):
    model = IngestKey

    async def add(self, key: IngestKey) -> IngestKey:
        self.session.add(key)
        self.session.add(IngestKeyDirectory(key_id=key.id, company_id=key.company_id))
        await self.session.flush()
        await self.session.refresh(key)
        return key

    async def get(self, key_id: UUID, *, for_update: bool = False) -> IngestKey | None:
        return await self.find(IngestKey.id == key_id, for_update=for_update)

    @staticmethod
    async def company_of(session: AsyncSession, key_id: UUID) -> UUID | None:
        """The company a key id belongs to, asked before any company is known (the directory
        is not a company table)."""
        company_id: UUID | None = await session.scalar(
            select(IngestKeyDirectory.company_id).where(IngestKeyDirectory.key_id == key_id)
        )
        return company_id

    async def for_company(self) -> list[IngestKey]:
        rows = await self.session.scalars(self.select().order_by(IngestKey.created_at))
        return list(rows)

    async def save(self, key: IngestKey) -> IngestKey:
        await self.session.flush()
        await self.session.refresh(key)
        return key


class InboundRejectionRepository(CompanyRepository[InboundRejection]):
    model = InboundRejection

    async def add(self, values: dict[str, Any]) -> None:
        """Once per Kafka record: a redelivered rejection is not listed twice."""
        await self.session.execute(insert(InboundRejection).values(**values).on_conflict_do_nothing())

    async def page(self, *, offset: int, limit: int) -> tuple[list[InboundRejection], int]:
        stmt = self.select().order_by(InboundRejection.received_at.desc(), InboundRejection.id.desc())
        return await self.paged(stmt, offset=offset, limit=limit)
