"""Submitting tickets, reading them, and keeping their status from the engine's events."""

import asyncio
import contextlib
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from common.auth import Claims, SystemRole
from common.db import Database, UnitOfWork, envelope_headers, outbox_headers
from common.durations import DurationError, parse_duration
from common.errors import Conflict, NotFound, ValidationProblem
from common.idempotency import PendingAnswer
from common.web import Page, PageParams
from contracts.engine import WorkflowCompleted, WorkflowEvent, WorkflowOutcome
from contracts.envelope import Actor, Envelope, envelope_for
from contracts.ids import uuid7
from contracts.tickets import (
    ARCHIVED_TICKET_STATUSES,
    TICKET_STATUS_OF_WORKFLOW,
    TicketStatus,
    TicketSubmitted,
)
from tickets.models import Ticket, TicketType
from tickets.people import service as people
from tickets.ticket.numbering import normalise_prefix, number_stem
from tickets.ticket.repository import ProjectedEvent, SubmittedEvent, TicketRepository
from tickets.ticket.schemas import (
    OutcomeCount,
    TicketCreate,
    TicketDetail,
    TicketFilters,
    TicketOutcome,
    TicketRead,
    TicketSort,
)
from tickets.ticket.validation import ticket_data_problems, title_problems
from tickets.ticket.watch import tell_on_commit, watch_of
from tickets.ticket_type import service as ticket_types
from tickets.ticket_type.repository import TicketTypeRepository

TICKET_TEAM_ROLES = (SystemRole.TICKET_ADMIN.value, SystemRole.ADMIN.value)

_TASK_EVENTS = ("task.created", "task.assigned", "task.started")


@dataclass(frozen=True)
class Submitter:
    """Who submits. A user brings their company roles, which must grant the type; an external
    system was authorised by its ingest key (`company_roles` None) and names itself by the
    sender's event id, which makes its submissions idempotent."""

    user_id: UUID | None
    company_roles: list[str] | None
    source: str = "api"
    email: str | None = None
    inbound_event_id: str | None = None

    @classmethod
    def user(cls, claims: Claims) -> "Submitter":
        return cls(user_id=claims.user_id, company_roles=list(claims.company_roles))


async def submit(
    uow: UnitOfWork,
    company_id: UUID,
    submitter: Submitter,
    *,
    ticket_type_key: str,
    title: str,
    ticket_data: dict[str, Any],
) -> Ticket:
    accepted = await accept(
        uow, company_id, submitter, ticket_type_key=ticket_type_key, title=title, ticket_data=ticket_data
    )
    return accepted.ticket


@dataclass(frozen=True)
class Accepted:
    ticket: Ticket
    ticket_type: TicketType
    submitter_name: str | None
    # The answer stored with a claimed idempotency key, as `answer_of` made it.
    answer: BaseModel | None = None


# A type whose current version changes under a submit this many times in a row is refused.
_TYPE_ATTEMPTS = 3


async def accept(
    uow: UnitOfWork,
    company_id: UUID,
    submitter: Submitter,
    *,
    ticket_type_key: str,
    title: str,
    ticket_data: dict[str, Any],
    type_wait_seconds: float = 0.0,
    answer: PendingAnswer | None = None,
    answer_of: Callable[[Accepted], BaseModel] | None = None,
) -> Accepted:
    """Accept a ticket: the type must be one the submitter may use, the title and data must be
    valid (every problem is reported, nothing is written otherwise); the ticket gets the next
    number of its prefix and `ticket.submitted` goes to the outbox in the same transaction.
    With a claimed idempotency key (`answer`), the answer `answer_of` makes is stored too.

    All of it is written by one statement, the last before commit: the number's counter row
    stays locked until commit (that keeps numbers gapless), so nothing else runs while it is
    held. The type comes from this process's cache; the statement writes nothing when that
    version is no longer current, and the submit is made again with the type read afresh."""
    repository = TicketRepository(uow.session, company_id)
    for attempt in range(_TYPE_ATTEMPTS):
        ticket_type = await ticket_types.resolve_for_submit(
            uow,
            company_id,
            ticket_type_key,
            submitter.company_roles,
            wait_seconds=type_wait_seconds,
            fresh=attempt > 0,
        )
        problems = title_problems(title) + ticket_data_problems(ticket_type.fields, ticket_data)
        if problems:
            raise ValidationProblem("The ticket is not valid.", errors=problems)

        prefix = normalise_prefix(ticket_type.prefix)
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "company_id": company_id,
            "id": uuid7(),
            "prefix": prefix,
            "ticket_type_key": ticket_type.key,
            "ticket_type_version": ticket_type.version,
            "title": title.strip(),
            "ticket_data": ticket_data,
            "status": TicketStatus.SUBMITTED.value,
            "status_changed_at": now,
            "submitted_by": submitter.user_id,
            "submitted_by_email": submitter.email,
            "source": submitter.source,
            "inbound_event_id": submitter.inbound_event_id,
            "resolution_due_at": resolution_due_at(ticket_type, now),
            "created_at": now,
            "updated_at": now,
        }
        # The number and the submitter's name are filled in by the statement.
        ticket = Ticket(**values, number="", sequence=0)
        accepted = Accepted(ticket, ticket_type, None)
        payload = TicketSubmitted(
            ticket_id=ticket.id,
            number="",
            title=ticket.title,
            ticket_definition_key=ticket_type.key,
            ticket_definition_version=ticket_type.version,
            workflow_key=ticket_type.workflow_key,
            workflow_version=ticket_type.workflow_version,
            ticket_data=ticket.ticket_data,
            submitted_by=ticket.submitted_by,
        )
        envelope = envelope_for(payload, company_id=company_id, actor=uow.actor)
        answer_model = answer_of(accepted) if answer and answer_of else None
        event = SubmittedEvent(
            event_id=envelope.event_id,
            topic=payload.topic,
            key=payload.aggregate_key(),
            payload=envelope.model_dump_json(),
            headers=outbox_headers(envelope_headers(envelope)),
        )
        written = await repository.insert_numbered(
            values,
            number_stem(prefix),
            event=event,
            answer=answer,
            answer_body=answer_model.model_dump(mode="json") if answer_model else None,
        )
        if not written.type_current:
            ticket_types.CURRENT_TYPES.forget(company_id, ticket_type_key)
            continue
        if written.number is None or written.sequence is None:
            raise Conflict("This ticket was already submitted.")
        assert written.event_payload is not None, "the event row is written with the ticket"
        # Handed to the relay as stored (the statement put the number in), so it need not read it.
        uow.wrote_outbox_rows(
            [(event.event_id, event.topic, event.key, written.event_payload, event.headers)]
        )
        ticket.number, ticket.sequence = written.number, written.sequence
        return Accepted(ticket, ticket_type, written.submitter_name, answer_model)
    raise Conflict(f"The ticket type {ticket_type_key!r} changed while the ticket was submitted; try again.")


def resolution_due_at(ticket_type: TicketType, submitted_at: datetime) -> datetime | None:
    """Submission plus the type's resolution target. Definitions checked the target before
    publishing it; one that still does not parse gives no due time rather than no ticket."""
    if not ticket_type.resolution_target:
        return None
    target = _resolution_target(ticket_type.resolution_target)
    return submitted_at + target if target is not None else None


@lru_cache(maxsize=1024)
def _resolution_target(text: str) -> timedelta | None:
    # Parsed once per distinct target, not on every submit of its types.
    try:
        return parse_duration(text)
    except DurationError:
        return None


async def submit_ticket(
    uow: UnitOfWork,
    claims: Claims,
    body: TicketCreate,
    answer: PendingAnswer | None = None,
    *,
    type_wait_seconds: float = 0.0,
) -> TicketDetail:
    """A user's submission, answered from what was just written: a new ticket has no timeline
    and no attachments yet, so nothing is read back (the submitter's name comes from the
    people projection in the submit's own statement). With a claimed idempotency key the
    answer is stored by that statement too. A type this service has not heard of yet is
    waited for up to `type_wait_seconds` (it may have been published a moment ago).

    The unit of work may come unscoped: a claimed key's statement scoped it already (then this
    costs nothing), else it is scoped here, before anything is read."""
    await uow.set_company(claims.company_id)
    accepted = await accept(
        uow,
        claims.company_id,
        Submitter.user(claims),
        ticket_type_key=body.ticket_type_key,
        title=body.title,
        ticket_data=body.ticket_data,
        type_wait_seconds=type_wait_seconds,
        answer=answer,
        answer_of=_submitted_detail,
    )
    # The answer stored with the key was made before the number was taken: the same model,
    # completed with what the statement filled in.
    detail = accepted.answer if isinstance(accepted.answer, TicketDetail) else _submitted_detail(accepted)
    detail.number = accepted.ticket.number
    detail.submitted_by_name = accepted.submitter_name if accepted.ticket.submitted_by else None
    return detail


def _submitted_detail(accepted: Accepted) -> TicketDetail:
    ticket, ticket_type = accepted.ticket, accepted.ticket_type
    return _detail_model(
        ticket,
        type_name=ticket_type.name,
        display_layout=ticket_type.display_layout,
        submitter_name=accepted.submitter_name,
        timeline=[],
        attachments=[],
    )


# A ticket's own columns that its read model shows as they are.
_READ_COLUMNS = tuple(
    name
    for name in TicketRead.model_fields
    if name not in {"ticket_type_name", "submitted_by_name", "outcome"}
)


def _detail_model(
    ticket: Ticket,
    *,
    type_name: str | None,
    display_layout: dict[str, Any] | None,
    submitter_name: str | None,
    timeline: list[Any],
    attachments: list[Any],
) -> TicketDetail:
    """The detail of a ticket, validated once (its entries may be objects or JSON values)."""
    return TicketDetail.model_validate(
        {
            **{name: getattr(ticket, name) for name in _READ_COLUMNS},
            "ticket_type_name": type_name,
            "submitted_by_name": submitter_name if ticket.submitted_by else None,
            "outcome": _outcome(ticket),
            "ticket_data": ticket.ticket_data,
            "display_layout": display_layout,
            "timeline": timeline,
            "attachments": attachments,
        }
    )


def is_ticket_team(claims: Claims) -> bool:
    return claims.has_any_role(*TICKET_TEAM_ROLES)


async def visible_ticket(
    uow: UnitOfWork, claims: Claims, ticket_id: UUID, *, for_update: bool = False
) -> Ticket:
    """The ticket, when the caller is its submitter or on the ticket team; anybody else (and
    any other company) is told it does not exist."""
    ticket = await TicketRepository(uow.session, claims.company_id).get(ticket_id, for_update=for_update)
    if ticket is None or not (ticket.submitted_by == claims.user_id or is_ticket_team(claims)):
        raise NotFound("There is no such ticket.")
    return ticket


def _outcome(ticket: Ticket) -> TicketOutcome | None:
    if ticket.outcome_key is None:
        return None
    return TicketOutcome(
        key=ticket.outcome_key,
        label=ticket.outcome_label or ticket.outcome_key,
        message=ticket.outcome_message,
    )


def _read_model(ticket: Ticket, type_name: str | None, names: dict[UUID, str]) -> TicketRead:
    return TicketRead.model_validate(ticket).model_copy(
        update={
            "ticket_type_name": type_name,
            "submitted_by_name": names.get(ticket.submitted_by) if ticket.submitted_by else None,
            "outcome": _outcome(ticket),
        }
    )


async def _read_models(uow: UnitOfWork, company_id: UUID, tickets: list[Ticket]) -> list[TicketRead]:
    type_names = await TicketTypeRepository(uow.session, company_id).names(
        {t.ticket_type_key for t in tickets}
    )
    names = await people.names(uow, company_id, (t.submitted_by for t in tickets))
    return [_read_model(t, type_names.get(t.ticket_type_key), names) for t in tickets]


async def list_mine(
    uow: UnitOfWork,
    claims: Claims,
    statuses: list[TicketStatus],
    outcomes: list[str],
    page: PageParams,
    q: str | None = None,
) -> Page[TicketRead]:
    filters = TicketFilters(
        submitted_by=claims.user_id,
        statuses=statuses,
        outcomes=outcomes,
        q=q,
        sort=TicketSort.RELEVANCE if q else TicketSort.CREATED_AT_DESC,
    )
    tickets, total = await TicketRepository(uow.session, claims.company_id).page(
        filters, offset=page.offset, limit=page.page_size
    )
    items = await _read_models(uow, claims.company_id, tickets)
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)


async def search(
    uow: UnitOfWork, claims: Claims, filters: TicketFilters, page: PageParams
) -> Page[TicketRead]:
    if filters.created_from and filters.created_to and filters.created_from > filters.created_to:
        raise ValidationProblem(
            "The date range is empty.",
            errors=[{"loc": ["query", "to"], "msg": "must not be before `from`", "type": "date_range"}],
        )
    tickets, total = await TicketRepository(uow.session, claims.company_id).page(
        filters, offset=page.offset, limit=page.page_size
    )
    items = await _read_models(uow, claims.company_id, tickets)
    return Page(items=items, total=total, page=page.page, page_size=page.page_size)


async def detail(uow: UnitOfWork, claims: Claims, ticket_id: UUID) -> TicketDetail:
    """A ticket with its data, status, timeline and attachments, read in one statement; only its
    submitter and the ticket team see it (anybody else, and any other company, gets 404)."""
    found = await TicketRepository(uow.session, claims.company_id).with_detail(
        ticket_id, submitted_by=None if is_ticket_team(claims) else claims.user_id
    )
    if found is None:
        raise NotFound("There is no such ticket.")
    return _detail_model(
        found.ticket,
        type_name=found.type_name,
        display_layout=found.display_layout,
        submitter_name=found.submitter_name,
        timeline=found.timeline,
        attachments=found.attachments,
    )


@dataclass(frozen=True)
class DetailAnswer:
    """A detail read's answer: the detail's JSON and its entity tag, or (`body` None) word that
    the caller's copy, tagged `etag`, is still the current one."""

    body: bytes | None
    etag: str
    waited: bool


@dataclass(frozen=True)
class DetailWait:
    """How long a detail read may wait for a change, and the places it needs (see
    `TicketsSettings.detail_wait_max_seconds`)."""

    seconds: float
    per_company: int
    in_all: int


def detail_etag(body: bytes) -> str:
    """The entity tag of a detail's JSON: equal bodies, equal tags."""
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


async def detail_when_changed(
    db: Database, claims: Claims, ticket_id: UUID, *, seen: frozenset[str], wait: DetailWait
) -> DetailAnswer:
    """The ticket's detail, unless it is still the copy the caller holds (tagged one of `seen`,
    `If-None-Match`); then, with time to wait, the detail as soon as the ticket changes, else
    that the copy is current. No transaction is open while it waits: each read is a unit of
    work of its own, so this takes the database (the entrypoint cannot hold one for it).

    Word of a change wakes the wait (`TicketWatch`), and the ticket is read again then and when
    the wait ends, so an answer is never older than the last read."""
    watch = watch_of(db)
    deadline = time.monotonic() + wait.seconds
    async with contextlib.AsyncExitStack() as stack:
        woken: asyncio.Event | None = None
        # Subscribed before the first read: a change committed after it wakes the wait.
        if (
            seen
            and wait.seconds > 0
            and await stack.enter_async_context(
                watch.place(claims.company_id, per_company=wait.per_company, in_all=wait.in_all)
            )
        ):
            woken = stack.enter_context(watch.subscribed(ticket_id))
        while True:
            async with db.unit_of_work(claims.company_id, Actor.user(claims.user_id)) as uow:
                body = (await detail(uow, claims, ticket_id)).model_dump_json().encode()
            etag = detail_etag(body)
            if etag not in seen:
                return DetailAnswer(body, etag, waited=woken is not None)
            remaining = deadline - time.monotonic()
            if woken is None or remaining <= 0:
                return DetailAnswer(None, etag, waited=woken is not None)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(woken.wait(), remaining)
            woken.clear()


async def outcomes(uow: UnitOfWork, claims: Claims) -> list[OutcomeCount]:
    """The outcomes the caller's tickets ended with (every ticket of the company for the
    ticket team), most frequent first: the choices of the outcome filter."""
    submitted_by = None if is_ticket_team(claims) else claims.user_id
    rows = await TicketRepository(uow.session, claims.company_id).outcome_counts(submitted_by)
    return [OutcomeCount(key=key, label=label, tickets=count) for key, label, count in rows]


async def record_workflow_event(uow: UnitOfWork, event: WorkflowEvent, envelope: Envelope) -> None:
    """Put the event on its ticket's timeline and move the ticket's status."""
    await record_workflow_events(uow, [(event, envelope)])


async def record_workflow_events(uow: UnitOfWork, events: Sequence[tuple[WorkflowEvent, Envelope]]) -> None:
    """Put events of one ticket (in their order) on its timeline and move its status, in one
    round trip; each event does what it would alone."""
    if not events:
        return
    first, envelope = events[0]
    company_id = envelope.company_id
    if company_id is None:
        return
    await TicketRepository(uow.session, company_id).project(
        first.ticket_id, [_projected(event, envelope) for event, envelope in events]
    )
    tell_on_commit(uow, first.ticket_id)


def _projected(event: WorkflowEvent, envelope: Envelope) -> ProjectedEvent:
    status = TICKET_STATUS_OF_WORKFLOW[event.workflow_status]
    closed = status in ARCHIVED_TICKET_STATUSES
    outcome: WorkflowOutcome | None = event.outcome if isinstance(event, WorkflowCompleted) else None
    return ProjectedEvent(
        id=uuid7(),
        event_id=envelope.event_id,
        event_type=envelope.type,
        status=status.value,
        workflow_status=event.workflow_status,
        task_key=event.task_key,
        task_name=event.task_name,
        task_status=event.task_status,
        task_instance_id=event.task_instance_id,
        assignee_id=event.assignee_id,
        detail=event.detail,
        occurred_at=envelope.occurred_at,
        workflow_instance_id=event.workflow_instance_id,
        closed=closed,
        touch_task=closed or envelope.type in _TASK_EVENTS or envelope.type == "task.completed",
        current_task_name=event.task_name if envelope.type in _TASK_EVENTS and not closed else None,
        outcome_key=outcome.key if outcome else None,
        outcome_label=outcome.label if outcome else None,
        outcome_message=outcome.message if outcome else None,
    )
