from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Header, Query, Request, Response, status
from pydantic import BaseModel, Field

from common.auth import Claims, CurrentClaims, SystemRole, require_roles
from common.db import UnitOfWork
from common.idempotency import Idempotency, IdempotencyKey
from common.web import DatabaseDep, Page, PageDep, UoW, entity_tags, preferred_wait
from contracts.envelope import Actor
from contracts.tickets import TicketStatus
from tickets.config import TicketsSettings
from tickets.ticket import service
from tickets.ticket.schemas import (
    OutcomeCount,
    TicketCreate,
    TicketDetail,
    TicketFilters,
    TicketRead,
    TicketSort,
    TicketView,
)

router = APIRouter(prefix="/api/tickets/tickets", tags=["tickets"])

TicketTeamClaims = Annotated[Claims, Depends(require_roles(SystemRole.TICKET_ADMIN))]


async def submit_uow(db: DatabaseDep, claims: CurrentClaims) -> AsyncIterator[UnitOfWork]:
    """The caller's transaction, as `UoW`, but not yet scoped to the company: the submit's first
    statement (the idempotency key's claim) scopes it as it runs, a round trip less; the
    service scopes it itself when there is no key."""
    async with db.unit_of_work(None, Actor.user(claims.user_id)) as uow:
        yield uow


SubmitUoW = Annotated[UnitOfWork, Depends(submit_uow, scope="function")]


def _json(model: BaseModel, status_code: int = status.HTTP_200_OK) -> Response:
    # Serialised once, from the model as built: the route's response model is for the OpenAPI
    # document only, not a second validation of what the service made.
    return Response(model.model_dump_json(), status_code=status_code, media_type="application/json")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TicketDetail)
async def submit_ticket(
    body: TicketCreate, uow: SubmitUoW, claims: CurrentClaims, key: IdempotencyKey, request: Request
) -> Response:
    """Submit a ticket of a type the caller may use (403 otherwise). `ticket_data` is checked
    against the type's field schema; every problem is listed (422) and nothing is written.
    The ticket gets the next human number of its type's prefix and its workflow starts.

    With an `Idempotency-Key` header the submission may be sent again safely: within 24 hours
    the same key and body answer with the first response (and create nothing), the same key
    with another body is 422.

    A ticket type published a moment ago (its bundle upload just answered) is waited for
    briefly (`TICKETS_NEW_TYPE_WAIT_SECONDS`) rather than refused as unknown."""
    settings: TicketsSettings = request.app.state.settings
    answered = await Idempotency(uow, claims, request, key).create_answered(
        body,
        status.HTTP_201_CREATED,
        lambda answer: service.submit_ticket(
            uow, claims, body, answer, type_wait_seconds=settings.new_type_wait_seconds
        ),
    )
    return answered if isinstance(answered, Response) else _json(answered, status.HTTP_201_CREATED)


OutcomeFilter = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=100)]],
    Query(alias="outcome", description="only tickets whose workflow ended with one of these outcome keys"),
]


@router.get("/mine")
async def my_tickets(
    uow: UoW,
    claims: CurrentClaims,
    page: PageDep,
    status_filter: Annotated[list[TicketStatus], Query(alias="status")] = [],  # noqa: B006
    outcome_filter: OutcomeFilter = [],  # noqa: B006
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[TicketRead]:
    """The caller's own tickets, newest first, optionally only those in the given statuses or
    ended with the given outcomes; with `q`, only those whose number, title or data match every
    word (as a prefix), best match first."""
    return await service.list_mine(uow, claims, status_filter, outcome_filter, page, q)


@router.get("/outcomes")
async def ticket_outcomes(uow: UoW, claims: CurrentClaims) -> list[OutcomeCount]:
    """The outcomes the caller's tickets ended with, most frequent first (the ticket team sees
    those of every ticket of the company): what the outcome filter offers."""
    return await service.outcomes(uow, claims)


@router.get("")
async def ticket_team_list(
    uow: UoW,
    claims: TicketTeamClaims,
    page: PageDep,
    view: TicketView | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    ticket_type: Annotated[str | None, Query(alias="type", max_length=100)] = None,
    status_filter: Annotated[list[TicketStatus], Query(alias="status")] = [],  # noqa: B006
    outcome_filter: OutcomeFilter = [],  # noqa: B006
    submitted_by: UUID | None = None,
    created_from: Annotated[date | None, Query(alias="from")] = None,
    created_to: Annotated[date | None, Query(alias="to")] = None,
    overdue: bool | None = None,
    sort: TicketSort = TicketSort.CREATED_AT_DESC,
) -> Page[TicketRead]:
    """Every ticket of the company, for the ticket team (`ticket_admin`, `admin`): the Active
    or Archive view, full-text search over title and data (`q`, every word as a prefix),
    filters by type, status, outcome, submitter and creation date (`from`/`to`, inclusive),
    sorted and paginated (at most 100 per page). `overdue=true` keeps open tickets past their
    resolution due time; `sort=resolution_due_at` puts the most urgent first."""
    filters = TicketFilters(
        view=view,
        q=q,
        ticket_type_key=ticket_type,
        statuses=status_filter,
        outcomes=outcome_filter,
        submitted_by=submitted_by,
        created_from=created_from,
        created_to=created_to,
        overdue=overdue,
        sort=sort,
    )
    return await service.search(uow, claims, filters, page)


@router.get(
    "/{ticket_id}",
    response_model=TicketDetail,
    responses={304: {"description": "The copy tagged by If-None-Match is still the current one"}},
)
async def ticket_detail(
    ticket_id: UUID,
    db: DatabaseDep,
    claims: CurrentClaims,
    request: Request,
    if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
    prefer: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """A ticket with its data, status, workflow timeline and attachments. Only its submitter
    and the ticket team see it; anyone else gets 404.

    Every answer carries an `ETag`. With that tag in `If-None-Match` the answer is 304 (no
    body) while the ticket is unchanged; with `Prefer: wait=N` as well (seconds, at most
    `TICKETS_DETAIL_WAIT_MAX_SECONDS`) it comes as soon as the ticket changes, with the new
    detail, or after N seconds as 304: a client that watches a ticket asks again at once,
    without polling. `Preference-Applied: wait=N` says the wait was granted; a read beyond the
    waiting places (per company and in all) answers at once."""
    settings: TicketsSettings = request.app.state.settings
    seconds = preferred_wait(prefer, settings.detail_wait_max_seconds)
    answer = await service.detail_when_changed(
        db,
        claims,
        ticket_id,
        seen=entity_tags(if_none_match),
        wait=service.DetailWait(
            seconds=seconds,
            per_company=settings.detail_waits_per_company,
            in_all=settings.detail_waits,
        ),
    )
    headers = {"ETag": answer.etag, "Cache-Control": "private, no-cache"}
    if answer.waited:
        headers["Preference-Applied"] = f"wait={seconds:g}"
    if answer.body is None:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    return Response(answer.body, media_type="application/json", headers=headers)
