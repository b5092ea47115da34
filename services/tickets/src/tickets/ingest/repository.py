from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.models import InboundRejection, IngestKey, IngestKeyDirectory


class IngestKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: IngestKey) -> IngestKey:
        self.session.add(key)
        self.session.add(IngestKeyDirectory(key_id=key.id, company_id=key.company_id))
        await self.session.flush()
        await self.session.refresh(key)
        return key

    async def get(self, company_id: UUID, key_id: UUID, *, for_update: bool = False) -> IngestKey | None:
        stmt = select(IngestKey).where(IngestKey.company_id == company_id, IngestKey.id == key_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def company_of(self, key_id: UUID) -> UUID | None:
        """The company a key id belongs to (the directory is not a company table)."""
        company_id: UUID | None = await self.session.scalar(
            select(IngestKeyDirectory.company_id).where(IngestKeyDirectory.key_id == key_id)
        )
        return company_id

    async def for_company(self, company_id: UUID) -> list[IngestKey]:
        rows = await self.session.scalars(
            select(IngestKey).where(IngestKey.company_id == company_id).order_by(IngestKey.created_at)
        )
        return list(rows)

    async def save(self, key: IngestKey) -> IngestKey:
        await self.session.flush()
        await self.session.refresh(key)
        return key


class InboundRejectionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, values: dict[str, Any]) -> None:
        """Once per Kafka record: a redelivered rejection is not listed twice."""
        await self.session.execute(insert(InboundRejection).values(**values).on_conflict_do_nothing())

    async def page(self, company_id: UUID, *, offset: int, limit: int) -> tuple[list[InboundRejection], int]:
        condition = InboundRejection.company_id == company_id
        total = await self.session.scalar(select(func.count()).select_from(InboundRejection).where(condition))
        rows = await self.session.scalars(
            select(InboundRejection)
            .where(condition)
            .order_by(InboundRejection.received_at.desc(), InboundRejection.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)
