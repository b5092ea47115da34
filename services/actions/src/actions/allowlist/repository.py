from uuid import UUID

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert

from actions.models import AllowlistEntry
from common.repository import CompanyRepository


class AllowlistRepository(CompanyRepository[AllowlistEntry]):
    model = AllowlistEntry

    async def list_entries(self) -> list[AllowlistEntry]:
        rows = await self.session.scalars(
            self.select().order_by(AllowlistEntry.created_at, AllowlistEntry.id)
        )
        return list(rows)

    async def add(self, entry: str, kind: str, note: str) -> AllowlistEntry | None:
        """The new entry, or None when the company already has it."""
        row_id = await self.session.scalar(
            insert(AllowlistEntry)
            .values(company_id=self.company_id, entry=entry, kind=kind, note=note)
            .on_conflict_do_nothing(index_elements=[AllowlistEntry.company_id, AllowlistEntry.entry])
            .returning(AllowlistEntry.id)
        )
        if row_id is None:
            return None
        return await self.session.get_one(AllowlistEntry, (self.company_id, row_id))

    async def remove(self, entry_id: UUID) -> bool:
        result = await self.session.execute(
            delete(AllowlistEntry)
            .where(self.owned(), AllowlistEntry.id == entry_id)
            .returning(AllowlistEntry.id)
        )
        return result.scalar_one_or_none() is not None
