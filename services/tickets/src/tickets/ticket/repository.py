import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, func, select, text
from sqlalchemy.sql.elements import UnaryExpression

from common.idempotency import PendingAnswer
from common.repository import CompanyRepository
from common.text_search import prefix_tsquery
from contracts.tickets import ACTIVE_TICKET_STATUSES, ARCHIVED_TICKET_STATUSES
from tickets.models import Ticket, TimelineEntry
from tickets.ticket.schemas import TicketFilters, TicketSort, TicketView


@dataclass(frozen=True)
class SubmittedEvent:
    """The `ticket.submitted` outbox row, as the submit statement writes it: its payload (an
    envelope's JSON) gets the ticket's number at `data.number` there."""

    event_id: UUID
    topic: str
    key: str
    payload: str
    headers: str


@dataclass(frozen=True)
class NumberedInsert:
    """What the submit statement did: nothing when the type version was no longer current
    (`type_current` False) or the inbound event id was taken (`number` None)."""

    type_current: bool
    sequence: int | None
    number: str | None
    submitter_name: str | None


@dataclass(frozen=True)
class ProjectedEvent:
    """One engine event as the status projection applies it: its timeline entry, and what it
    sets on the ticket when it is new."""

    id: UUID
    event_id: UUID
    event_type: str
    status: str
    workflow_status: str
    task_key: str | None
    task_name: str | None
    task_status: str | None
    task_instance_id: UUID | None
    assignee_id: UUID | None
    detail: str
    occurred_at: datetime
    workflow_instance_id: UUID
    closed: bool
    touch_task: bool
    current_task_name: str | None
    outcome_key: str | None
    outcome_label: str | None
    outcome_message: str | None


# The function's array arguments, in its order: one array per field, one element per event.
_PROJECTED_ARRAYS = (
    ("id", "uuid"),
    ("event_id", "uuid"),
    ("event_type", "text"),
    ("status", "text"),
    ("workflow_status", "text"),
    ("task_key", "text"),
    ("task_name", "text"),
    ("task_status", "text"),
    ("task_instance_id", "uuid"),
    ("assignee_id", "uuid"),
    ("detail", "text"),
    ("occurred_at", "timestamptz"),
    ("workflow_instance_id", "uuid"),
    ("closed", "boolean"),
    ("touch_task", "boolean"),
    ("current_task_name", "text"),
    ("outcome_key", "text"),
    ("outcome_label", "text"),
    ("outcome_message", "text"),
)
_PROJECTED_FIELDS = tuple(name for name, _ in _PROJECTED_ARRAYS)
assert tuple(f.name for f in fields(ProjectedEvent)) == _PROJECTED_FIELDS

_PROJECT = text(
    "SELECT tickets.project_workflow_events(:company_id, :ticket_id, "
    + ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _PROJECTED_ARRAYS)
    + ")"
)

# The ticket's own columns a submit writes (the number and its sequence come from the counter).
_SUBMIT_COLUMNS = (
    "company_id",
    "id",
    "prefix",
    "ticket_type_key",
    "ticket_type_version",
    "title",
    "status",
    "status_changed_at",
    "submitted_by",
    "submitted_by_email",
    "source",
    "inbound_event_id",
    "resolution_due_at",
    "created_at",
)

# One round trip for the whole write of a submit. Every step reads the one before it, so a step
# that writes nothing stops the rest: no counter increment without a current type, no outbox
# row or answer without the ticket. The answer's update matches no row without a key. The
# outbox row's `created_at` is the moment of writing, as `UnitOfWork.flush_outbox` writes it.
_SUBMIT = text(
    """
    WITH current_type AS (
        SELECT 1 FROM tickets.ticket_types AS tt
        WHERE tt.company_id = CAST(:company_id AS uuid) AND tt.key = CAST(:ticket_type_key AS text)
          AND tt.version = CAST(:ticket_type_version AS integer) AND tt.archived_at IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM tickets.ticket_types AS newer
              WHERE newer.company_id = :company_id AND newer.key = :ticket_type_key
                AND newer.version > :ticket_type_version AND newer.archived_at IS NULL
          )
    ),
    submitter AS (
        SELECT p.display_name FROM tickets.people AS p
        WHERE p.company_id = :company_id AND p.user_id = CAST(:submitted_by AS uuid)
    ),
    taken AS (
        INSERT INTO tickets.ticket_number_counters AS c (company_id, prefix, last_number)
        SELECT :company_id, CAST(:prefix AS text), 1 FROM current_type
        ON CONFLICT (company_id, prefix) DO UPDATE SET last_number = c.last_number + 1
        RETURNING c.last_number
    ),
    ticket AS (
        INSERT INTO tickets.tickets (
            company_id, id, prefix, ticket_type_key, ticket_type_version, title, ticket_data,
            status, status_changed_at, submitted_by, submitted_by_email, source, inbound_event_id,
            resolution_due_at, created_at, updated_at, sequence, number
        )
        SELECT :company_id, CAST(:id AS uuid), :prefix, :ticket_type_key, :ticket_type_version,
               CAST(:title AS text), CAST(CAST(:ticket_data AS text) AS jsonb), CAST(:status AS text),
               CAST(:status_changed_at AS timestamptz),
               CAST(:submitted_by AS uuid), CAST(:submitted_by_email AS text), CAST(:source AS text),
               CAST(:inbound_event_id AS text), CAST(:resolution_due_at AS timestamptz),
               CAST(:created_at AS timestamptz), CAST(:created_at AS timestamptz), taken.last_number,
               CAST(:stem AS text) || taken.last_number
        FROM taken
        ON CONFLICT DO NOTHING
        RETURNING sequence, number
    ),
    outbox AS (
        INSERT INTO tickets.outbox (event_id, topic, key, payload, headers, created_at)
        SELECT CAST(:event_id AS uuid), CAST(:topic AS text), CAST(:key AS text),
               jsonb_set(CAST(CAST(:payload AS text) AS jsonb), '{data,number}', to_jsonb(ticket.number)),
               CAST(CAST(:headers AS text) AS jsonb), clock_timestamp()
        FROM ticket
    ),
    answer AS (
        UPDATE tickets.idempotency_keys AS k
        SET status_code = CAST(:answer_status AS integer),
            response = CAST(CAST(:answer AS text) AS jsonb) || jsonb_build_object(
                'number', ticket.number,
                'submitted_by_name', (SELECT display_name FROM submitter)
            )
        FROM ticket
        WHERE k.company_id = :company_id AND k.user_id = CAST(:answer_user_id AS uuid)
          AND k.key = CAST(:answer_key AS text)
    )
    SELECT EXISTS (SELECT 1 FROM current_type) AS type_current, ticket.sequence, ticket.number,
           (SELECT display_name FROM submitter) AS submitter_name
    FROM (SELECT 1) AS one LEFT JOIN ticket ON true
    """
)


class TicketRepository(CompanyRepository[Ticket]):
    model = Ticket

    async def insert_numbered(
        self,
        values: dict[str, Any],
        stem: str,
        *,
        event: SubmittedEvent,
        answer: PendingAnswer | None = None,
        answer_body: dict[str, Any] | None = None,
    ) -> NumberedInsert:
        """Insert a ticket with the next number of its prefix, its `ticket.submitted` outbox row
        and, for a claimed idempotency key, the stored answer, all in one statement, the last
        before commit: the counter's upsert takes the counter row's lock until the transaction
        ends (concurrent submits queue behind it, and a submit that rolls back gives its number
        back, so committed numbers have no gaps and never collide), and nothing else runs while
        it is held. The event's and the answer's JSON get the number (and the submitter's name
        from the people projection) inside the statement.

        Nothing is written unless `values`' ticket type version is still the current one of
        its key (a cached type may be stale) and its inbound event id is not taken."""
        row = (
            await self.session.execute(
                _SUBMIT,
                {
                    **{name: values[name] for name in _SUBMIT_COLUMNS},
                    "ticket_data": json.dumps(values["ticket_data"]),
                    "stem": stem,
                    "event_id": event.event_id,
                    "topic": event.topic,
                    "key": event.key,
                    "payload": event.payload,
                    "headers": event.headers,
                    "answer_user_id": answer.user_id if answer else None,
                    "answer_key": answer.key if answer else None,
                    "answer_status": answer.status_code if answer else None,
                    "answer": json.dumps(answer_body) if answer else None,
                },
            )
        ).one()
        return NumberedInsert(
            type_current=bool(row.type_current),
            sequence=row.sequence,
            number=row.number,
            submitter_name=row.submitter_name,
        )

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        return await self.find(Ticket.id == ticket_id, for_update=for_update)

    async def page(self, filters: TicketFilters, *, offset: int, limit: int) -> tuple[list[Ticket], int]:
        stmt = self.select(*self._conditions(filters)).order_by(*self._ordering(filters))
        return await self.paged(stmt, offset=offset, limit=limit)

    def _conditions(self, filters: TicketFilters) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.view is TicketView.ACTIVE:
            conditions.append(Ticket.status.in_([s.value for s in ACTIVE_TICKET_STATUSES]))
        elif filters.view is TicketView.ARCHIVE:
            conditions.append(Ticket.status.in_([s.value for s in ARCHIVED_TICKET_STATUSES]))
        if filters.statuses:
            conditions.append(Ticket.status.in_([s.value for s in filters.statuses]))
        if filters.outcomes:
            conditions.append(Ticket.outcome_key.in_(filters.outcomes))
        if filters.ticket_type_key:
            conditions.append(Ticket.ticket_type_key == filters.ticket_type_key)
        if filters.submitted_by is not None:
            conditions.append(Ticket.submitted_by == filters.submitted_by)
        if filters.created_from is not None:
            conditions.append(Ticket.created_at >= _start_of(filters.created_from))
        if filters.created_to is not None:
            conditions.append(Ticket.created_at < _start_of(filters.created_to) + timedelta(days=1))
        if filters.overdue is not None:
            late = (
                Ticket.resolution_due_at.is_not(None)
                & Ticket.closed_at.is_(None)
                & (Ticket.resolution_due_at < func.now())
            )
            conditions.append(late if filters.overdue else ~late)
        query = _tsquery(filters)
        if query is not None:
            conditions.append(Ticket.search_vector.op("@@")(query))
        return conditions

    def _ordering(self, filters: TicketFilters) -> list[UnaryExpression[Any] | ColumnElement[Any]]:
        query = _tsquery(filters)
        sort = filters.sort
        if sort is TicketSort.RELEVANCE and query is not None:
            return [func.ts_rank(Ticket.search_vector, query).desc(), Ticket.created_at.desc()]
        columns: dict[str, list[Any]] = {
            "created_at": [Ticket.created_at],
            "updated_at": [Ticket.updated_at],
            "number": [Ticket.prefix, Ticket.sequence],
            "title": [func.lower(Ticket.title)],
            "status": [Ticket.status],
            "relevance": [Ticket.created_at],
            "resolution_due_at": [Ticket.resolution_due_at],
        }
        descending = sort.value.startswith("-") or sort is TicketSort.RELEVANCE
        chosen = columns[sort.value.lstrip("-")]
        # Tickets without a due time come last either way: they are never the most urgent.
        ordered = [(c.desc() if descending else c.asc()).nulls_last() for c in chosen]
        return [*ordered, Ticket.id.desc() if descending else Ticket.id.asc()]

    async def project(self, ticket_id: UUID, events: Sequence[ProjectedEvent]) -> int:
        """Put engine events of one ticket, in order, on its timeline and move its status, in
        one call (`tickets.project_workflow_events`, migration 0008): an event already on the
        timeline (a redelivery) changes nothing, nor does one for a ticket this company does
        not have; the status moves unless a later event already moved it (events of one
        workflow arrive in order, but a replay can bring an old one back). Returns how many
        events were new."""
        columns: dict[str, list[Any]] = {name: [] for name in _PROJECTED_FIELDS}
        for event in events:
            for name in _PROJECTED_FIELDS:
                columns[name].append(getattr(event, name))
        added = await self.session.scalar(
            _PROJECT, {"company_id": self.company_id, "ticket_id": ticket_id, **columns}
        )
        return int(added or 0)

    async def outcome_counts(self, submitted_by: UUID | None) -> list[tuple[str, str, int]]:
        """Each outcome key with its latest label and how many tickets ended with it; only
        `submitted_by`'s tickets when given."""
        conditions: list[ColumnElement[bool]] = [self.owned(), Ticket.outcome_key.is_not(None)]
        if submitted_by is not None:
            conditions.append(Ticket.submitted_by == submitted_by)
        count = func.count().label("tickets")
        rows = await self.session.execute(
            select(
                Ticket.outcome_key,
                func.max(func.coalesce(Ticket.outcome_label, Ticket.outcome_key)),
                count,
            )
            .where(*conditions)
            .group_by(Ticket.outcome_key)
            .order_by(count.desc(), Ticket.outcome_key)
        )
        return [(str(key), str(label), int(n)) for key, label, n in rows]

    async def has_task(self, ticket_id: UUID, task_instance_id: UUID) -> bool:
        """Whether an engine event about this task instance reached this ticket's timeline."""
        found = await self.session.scalar(
            select(TimelineEntry.id)
            .where(
                self.owned(TimelineEntry),
                TimelineEntry.ticket_id == ticket_id,
                TimelineEntry.task_instance_id == task_instance_id,
            )
            .limit(1)
        )
        return found is not None

    async def timeline(self, ticket_id: UUID) -> list[TimelineEntry]:
        rows = await self.session.scalars(
            select(TimelineEntry)
            .where(self.owned(TimelineEntry), TimelineEntry.ticket_id == ticket_id)
            .order_by(TimelineEntry.occurred_at, TimelineEntry.id)
        )
        return list(rows)


def _tsquery(filters: TicketFilters) -> ColumnElement[Any] | None:
    if not filters.q:
        return None
    query = prefix_tsquery(filters.q)
    if query is None:
        return None
    return func.to_tsquery(text("'simple'::regconfig"), query)


def _start_of(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
