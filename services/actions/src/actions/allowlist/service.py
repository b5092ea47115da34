"""The private targets a company lets its actions reach, past the SSRF guard."""

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from actions.allowlist.repository import AllowlistRepository
from actions.allowlist.schemas import AllowlistEntryCreate, AllowlistEntryRead
from actions.runner.guard import Allowlist, classify_entry
from common.errors import Conflict, NotFound


async def list_entries(session: AsyncSession, company_id: UUID) -> list[AllowlistEntryRead]:
    return [
        AllowlistEntryRead.model_validate(r)
        for r in await AllowlistRepository(session, company_id).list_entries()
    ]


async def add_entry(
    session: AsyncSession, company_id: UUID, data: AllowlistEntryCreate
) -> AllowlistEntryRead:
    kind, entry = classify_entry(data.entry)
    row = await AllowlistRepository(session, company_id).add(entry, kind, data.note)
    if row is None:
        raise Conflict(f"{entry} is already on the allowlist.")
    return AllowlistEntryRead.model_validate(row)


async def remove_entry(session: AsyncSession, company_id: UUID, entry_id: UUID) -> None:
    if not await AllowlistRepository(session, company_id).remove(entry_id):
        raise NotFound("No such allowlist entry.")


async def allowlist_for(session: AsyncSession, company_id: UUID) -> Allowlist:
    return Allowlist.parse(
        [row.entry for row in await AllowlistRepository(session, company_id).list_entries()]
    )
