from uuid import UUID

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
            .on_conflict_do_nothing(
                index_elements=[AllowlistEntry.company_id, AllowlistEntry.entry],
                index_where=AllowlistEntry.deleted_at.is_(None),
            )
            .returning(AllowlistEntry.id)
        )
        if row_id is None:
            return None
        return await self.session.get_one(AllowlistEntry, (self.company_id, row_id))

    async def remove(self, entry_id: UUID) -> bool:
        """Soft-delete a live entry; False when there is none of that id."""
        entry = await self.find(AllowlistEntry.id == entry_id, for_update=True)
        if entry is None:
            return False
        await self.soft_delete(entry)
        await self.session.flush()
        return True
