from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from common.web import Page, PageDep, UoW
from definitions.access import DesignerClaims
from definitions.bundles import service as bundles
from definitions.ticket_types import service
from definitions.ticket_types.schemas import TicketTypePublishResult, TicketTypeSummary, TicketTypeUpdate
from definitions.versioning import add_read_routes

router = APIRouter(prefix="/api/definitions/ticket-types", tags=["ticket types"])


@router.get("", response_model=Page[TicketTypeSummary])
async def list_ticket_types(
    uow: UoW,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="part of the key or name")] = None,
    workflow_key: Annotated[str | None, Query(max_length=100)] = None,
    archived: bool = False,
) -> Page[TicketTypeSummary]:
    """Ticket types of the caller's company."""
    return await service.list_ticket_types(uow, q, workflow_key, archived, page)


@router.put(
    "/{key}",
    response_model=TicketTypePublishResult,
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": TicketTypePublishResult, "description": "Same as the latest version"}},
)
async def publish_ticket_type(
    key: str, body: TicketTypeUpdate, response: Response, uow: UoW, _: DesignerClaims
) -> TicketTypePublishResult:
    """Publish a ticket type (new, or an edit as version N+1) for an existing workflow."""
    result = await bundles.publish_ticket_type(uow, key, body)
    if not result.ticket_type.created:
        response.status_code = status.HTTP_200_OK
    return result


add_read_routes(
    router,
    "",
    service.definitions,
    name="ticket_type",
    noun="ticket type",
    archive_doc="Archive a ticket type: no new tickets of it; submitted ones carry on.",
)
