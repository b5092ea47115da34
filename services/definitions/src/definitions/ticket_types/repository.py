from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.ids import uuid7
from definitions.models import TicketDefinition, TicketType
from definitions.search import like_pattern


class TicketTypeRepository:
    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        self.session = session
        self.company_id = company_id

    async def get_head(self, key: str) -> TicketType | None:
        return await self.session.scalar(
            select(TicketType).where(TicketType.company_id == self.company_id, TicketType.key == key)
        )

    async def lock_head(self, key: str, workflow_key: str, prefix: str) -> TicketType:
        """The head of `key`, created if new, locked until the transaction ends."""
        await self.session.execute(
            insert(TicketType)
            .values(
                company_id=self.company_id,
                id=uuid7(),
                key=key,
                latest_version=0,
                workflow_key=workflow_key,
                prefix=prefix,
            )
            .on_conflict_do_nothing(index_elements=[TicketType.company_id, TicketType.key])
        )
        head = await self.session.scalar(
            select(TicketType)
            .where(TicketType.company_id == self.company_id, TicketType.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert head is not None
        return head

    async def get_version(self, key: str, version: int) -> TicketDefinition | None:
        return await self.session.scalar(
            select(TicketDefinition).where(
                TicketDefinition.company_id == self.company_id,
                TicketDefinition.key == key,
                TicketDefinition.version == version,
            )
        )

    async def list_versions(self, key: str) -> Sequence[TicketDefinition]:
        result = await self.session.scalars(
            select(TicketDefinition)
            .where(TicketDefinition.company_id == self.company_id, TicketDefinition.key == key)
            .order_by(TicketDefinition.version.desc())
        )
        return result.all()

    async def add_version(self, definition: TicketDefinition) -> None:
        self.session.add(definition)
        await self.session.flush()

    async def active_keys_using(self, workflow_key: str) -> list[str]:
        result = await self.session.scalars(
            select(TicketType.key)
            .where(
                TicketType.company_id == self.company_id,
                TicketType.workflow_key == workflow_key,
                TicketType.deleted_at.is_(None),
                TicketType.latest_version > 0,
            )
            .order_by(TicketType.key)
        )
        return list(result.all())

    async def active_latest_using(self, workflow_key: str) -> Sequence[TicketDefinition]:
        result = await self.session.scalars(
            select(TicketDefinition)
            .join(
                TicketType,
                (TicketType.company_id == TicketDefinition.company_id)
                & (TicketType.id == TicketDefinition.ticket_type_id)
                & (TicketType.latest_version == TicketDefinition.version),
            )
            .where(
                TicketType.company_id == self.company_id,
                TicketType.workflow_key == workflow_key,
                TicketType.deleted_at.is_(None),
            )
            .order_by(TicketDefinition.key)
        )
        return result.all()

    async def prefix_holder(self, prefix: str, other_than: str) -> str | None:
        """The key of another active ticket type numbering its tickets with `prefix`."""
        return await self.session.scalar(
            select(TicketType.key).where(
                TicketType.company_id == self.company_id,
                TicketType.prefix == prefix,
                TicketType.key != other_than,
                TicketType.deleted_at.is_(None),
                TicketType.latest_version > 0,
            )
        )

    async def search(
        self, query: str | None, workflow_key: str | None, archived: bool, offset: int, limit: int
    ) -> tuple[Sequence[tuple[TicketType, TicketDefinition]], int]:
        conditions = [
            TicketType.company_id == self.company_id,
            TicketType.deleted_at.is_not(None) if archived else TicketType.deleted_at.is_(None),
        ]
        if query:
            pattern = like_pattern(query)
            conditions.append(
                or_(
                    TicketType.key.ilike(pattern, escape="\\"),
                    TicketDefinition.name.ilike(pattern, escape="\\"),
                )
            )
        if workflow_key:
            conditions.append(TicketType.workflow_key == workflow_key)
        base = (
            select(TicketType, TicketDefinition)
            .join(
                TicketDefinition,
                (TicketDefinition.company_id == TicketType.company_id)
                & (TicketDefinition.ticket_type_id == TicketType.id)
                & (TicketDefinition.version == TicketType.latest_version),
            )
            .where(*conditions)
        )
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.execute(
            base.order_by(TicketDefinition.name, TicketType.key).offset(offset).limit(limit)
        )
        return [(row[0], row[1]) for row in rows.all()], int(total or 0)
