from fastapi import APIRouter

from common.auth import CurrentClaims
from common.web import UoW
from tickets.ticket_type import service
from tickets.ticket_type.schemas import TicketTypeRead

router = APIRouter(prefix="/api/tickets/ticket-types", tags=["ticket types"])


@router.get("")
async def list_ticket_types(uow: UoW, claims: CurrentClaims) -> list[TicketTypeRead]:
    """The ticket types the caller may submit (their company roles share a role with the
    type's access list), latest version of each, with field schema and layouts."""
    types = await service.list_submittable(uow, claims.company_id, claims.company_roles)
    return [TicketTypeRead.model_validate(t) for t in types]
