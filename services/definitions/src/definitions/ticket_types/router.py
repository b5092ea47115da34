from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from common.web import Page, PageDep, UoW
from definitions.access import DesignerClaims
from definitions.bundles import service as bundles
from definitions.ticket_types import service
from definitions.ticket_types.schemas import (
    TicketTypePublishResult,
    TicketTypeRead,
    TicketTypeSummary,
    TicketTypeUpdate,
    TicketTypeVersionRead,
    TicketTypeVersionSummary,
)

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


@router.get("/{key}", response_model=TicketTypeRead)
async def get_ticket_type(key: str, uow: UoW) -> TicketTypeRead:
    """The latest version of a ticket type, with its version history."""
    return await service.get_ticket_type(uow, key)


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


@router.get("/{key}/versions", response_model=list[TicketTypeVersionSummary])
async def list_ticket_type_versions(key: str, uow: UoW) -> list[TicketTypeVersionSummary]:
    """Every published version of a ticket type, newest first."""
    return await service.list_versions(uow, key)


@router.get("/{key}/versions/{version}", response_model=TicketTypeVersionRead)
async def get_ticket_type_version(key: str, version: int, uow: UoW) -> TicketTypeVersionRead:
    """One version of a ticket type, exactly as it was published."""
    return service.version_read(await service.get_version(uow, key, version))


@router.post("/{key}/archive", response_model=TicketTypeSummary)
async def archive_ticket_type(key: str, uow: UoW, _: DesignerClaims) -> TicketTypeSummary:
    """Archive a ticket type: no new tickets of it; submitted ones carry on."""
    return await service.archive(uow, key)
