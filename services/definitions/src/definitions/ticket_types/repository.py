from collections.abc import Sequence

from sqlalchemy import select

from definitions.models import TicketDefinition, TicketType
from definitions.versioning import VersionedRepository


class TicketTypeRepository(VersionedRepository[TicketType, TicketDefinition]):
    model = TicketType
    version_model = TicketDefinition
    head_id = "ticket_type_id"

    async def active_keys_using(self, workflow_key: str) -> list[str]:
        result = await self.session.scalars(
            select(TicketType.key)
            .where(self.owned(), TicketType.workflow_key == workflow_key, TicketType.latest_version > 0)
            .order_by(TicketType.key)
        )
        return list(result.all())

    async def active_latest_using(self, workflow_key: str) -> Sequence[TicketDefinition]:
        result = await self.session.scalars(
            select(TicketDefinition)
            .join(TicketType, self.latest_of_head())
            .where(self.owned(), TicketType.workflow_key == workflow_key)
            .order_by(TicketDefinition.key)
        )
        return result.all()

    async def prefix_holder(self, prefix: str, other_than: str) -> str | None:
        """The key of another active ticket type numbering its tickets with `prefix`."""
        return await self.session.scalar(
            select(TicketType.key).where(
                self.owned(),
                TicketType.prefix == prefix,
                TicketType.key != other_than,
                TicketType.latest_version > 0,
            )
        )
