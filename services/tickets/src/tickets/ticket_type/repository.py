from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import distinct_on, insert

from common.repository import CompanyRepository
from contracts.definitions import TicketDefinitionPublished
from tickets.models import TicketType


class TicketTypeRepository(CompanyRepository[TicketType]):
    """The engine-free copy of each published ticket type version (archived: `archived_at`,
    set by the definitions service's event, not a delete here)."""

    model = TicketType

    async def add_version(self, published: TicketDefinitionPublished) -> None:
        """Store a published version; a version already held is left as it is (published
        definitions are immutable)."""
        await self.session.execute(
            insert(TicketType)
            .values(
                company_id=self.company_id,
                key=published.key,
                version=published.version,
                definition_id=published.ticket_definition_id,
                name=published.name,
                description=published.description,
                prefix=published.prefix,
                fields=published.fields,
                workflow_key=published.workflow_key,
                workflow_version=published.workflow_version,
                company_role_access=list(published.company_role_access),
                edit_layout=published.edit_layout,
                display_layout=published.display_layout,
                resolution_target=published.resolution_target,
            )
            .on_conflict_do_nothing()
        )

    async def archive(self, key: str, at: datetime) -> None:
        await self.session.execute(
            update(TicketType)
            .where(
                self.owned(),
                TicketType.key == key,
                TicketType.archived_at.is_(None),
            )
            .values(archived_at=at)
        )

    async def current(self, key: str) -> TicketType | None:
        """The latest version of a type that is not archived."""
        return await self.session.scalar(
            self.select(TicketType.key == key, TicketType.archived_at.is_(None))
            .order_by(TicketType.version.desc())
            .limit(1)
        )

    async def version(self, key: str, version: int) -> TicketType | None:
        return await self.find(TicketType.key == key, TicketType.version == version)

    async def list_current(self) -> list[TicketType]:
        rows = await self.session.scalars(
            self.select(TicketType.archived_at.is_(None))
            .ext(distinct_on(TicketType.key))
            .order_by(TicketType.key, TicketType.version.desc())
        )
        return sorted(rows, key=lambda t: t.name.lower())

    async def names(self, keys: set[str]) -> dict[str, str]:
        """The name of each key's latest version (archived or not), for labelling tickets."""
        if not keys:
            return {}
        rows = await self.session.execute(
            select(TicketType.key, TicketType.name)
            .where(self.owned(), TicketType.key.in_(keys))
            .ext(distinct_on(TicketType.key))
            .order_by(TicketType.key, TicketType.version.desc())
        )
        return {key: name for key, name in rows}
