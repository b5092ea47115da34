from uuid import UUID

from fastapi import APIRouter, status

from actions.allowlist import service
from actions.allowlist.schemas import AllowlistEntryCreate, AllowlistEntryRead
from common.auth import AdminClaims
from common.web import UoW

router = APIRouter(prefix="/api/actions/allowlist", tags=["allowlist"])


@router.get("", response_model=list[AllowlistEntryRead])
async def list_allowlist(claims: AdminClaims, uow: UoW) -> list[AllowlistEntryRead]:
    """The private addresses and hosts the company's actions may call."""
    return await service.list_entries(uow.session, claims.company_id)


@router.post("", response_model=AllowlistEntryRead, status_code=status.HTTP_201_CREATED)
async def add_allowlist_entry(
    data: AllowlistEntryCreate, claims: AdminClaims, uow: UoW
) -> AllowlistEntryRead:
    """Let the company's actions call a private CIDR block or host (refused by default)."""
    return await service.add_entry(uow.session, claims.company_id, data)


@router.delete("/{entry_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_allowlist_entry(entry_id: UUID, claims: AdminClaims, uow: UoW) -> None:
    """Remove an entry; the next action call to that target is refused again."""
    await service.remove_entry(uow.session, claims.company_id, entry_id)
