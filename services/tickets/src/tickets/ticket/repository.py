from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, Uuid, and_, bindparam, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import UnaryExpression

from common import jsontext
from common.db import driver_fetch
from common.idempotency import PendingAnswer, answer_params, store_answer
from common.repository import CompanyRepository
from common.text_search import prefix_tsquery
from contracts.tickets import ACTIVE_TICKET_STATUSES, ARCHIVED_TICKET_STATUSES
from tickets.models import Attachment, Person, Ticket, TicketType, TimelineEntry
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
    # The event's payload as the statement completed and stored it (JSON text), when written.
    event_payload: str | None = None


@dataclass(frozen=True)
class TicketWithDetail:
    """A ticket and what its detail shows beside it, read in one statement: its type's name and
    layout, its submitter's name, and its timeline and attachments as JSON objects (times as
    ISO 8601 in UTC), each with the name of its person."""

    ticket: Ticket
    type_name: str | None
    display_layout: dict[str, Any] | None
    submitter_name: str | None
    timeline: list[dict[str, Any]]
    attachments: list[dict[str, Any]]


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


# An event's fields as the projection statement reads them, in `ProjectedEvent`'s order, with
# `ord`, its place in the batch.
_PROJECTED_COLUMNS = (
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
_PROJECTED_FIELDS = tuple(name for name, _ in _PROJECTED_COLUMNS)
assert tuple(f.name for f in fields(ProjectedEvent)) == _PROJECTED_FIELDS

# A ticket's events in one statement, set-based. Each event in order is applied as alone: its
# timeline entry is inserted unless it is there already (a redelivery) or the ticket is unknown,
# and only a new entry moves the ticket, when no earlier one (nor the ticket's own last move) is
# later than it. Moves only ever go forward in time, so an event moves the ticket exactly when
# it is not older than every new event before it and the ticket's last change: the ticket ends
# as the last event that moves it says, its task name as the last such event that touches the
# task says. The search vector is not touched (its trigger fires on title, data and number only).
_EVENT_RECORD = ", ".join(f"{name} {kind}" for name, kind in _PROJECTED_COLUMNS)
_PROJECT = text(
    f"""
    WITH event AS (
        SELECT DISTINCT ON (e.event_id) e.*
        FROM jsonb_to_recordset(CAST(CAST(:events AS text) AS jsonb)) AS e(ord integer, {_EVENT_RECORD})
        ORDER BY e.event_id, e.ord
    ),
    ticket AS (
        SELECT t.id, t.status, t.status_changed_at FROM tickets.tickets AS t
        WHERE t.company_id = CAST(:company_id AS uuid) AND t.id = CAST(:ticket_id AS uuid)
    ),
    added AS (
        INSERT INTO tickets.timeline_entries (
            company_id, id, ticket_id, event_id, event_type, status, workflow_status, task_key,
            task_name, task_status, task_instance_id, assignee_id, detail, occurred_at
        )
        SELECT :company_id, e.id, ticket.id, e.event_id, e.event_type, e.status, e.workflow_status,
               e.task_key, e.task_name, e.task_status, e.task_instance_id, e.assignee_id, e.detail,
               e.occurred_at
        FROM event AS e CROSS JOIN ticket
        ON CONFLICT DO NOTHING
        RETURNING event_id
    ),
    moving AS (
        SELECT e.*, e.occurred_at >= coalesce(
            greatest(
                CASE WHEN ticket.status <> 'SUBMITTED' THEN ticket.status_changed_at END,
                max(e.occurred_at) OVER (ORDER BY e.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
            ),
            '-infinity'
        ) AS moves
        FROM event AS e JOIN added USING (event_id) CROSS JOIN ticket
    ),
    last_move AS (
        SELECT * FROM moving WHERE moves ORDER BY ord DESC LIMIT 1
    ),
    last_task AS (
        SELECT current_task_name FROM moving WHERE moves AND touch_task ORDER BY ord DESC LIMIT 1
    ),
    moved AS (
        UPDATE tickets.tickets AS t
        SET status = m.status,
            status_changed_at = m.occurred_at,
            closed_at = CASE WHEN m.closed THEN m.occurred_at END,
            workflow_instance_id = m.workflow_instance_id,
            outcome_key = m.outcome_key,
            outcome_label = m.outcome_label,
            outcome_message = m.outcome_message,
            current_task_name = CASE WHEN EXISTS (SELECT 1 FROM last_task)
                                     THEN (SELECT current_task_name FROM last_task)
                                     ELSE t.current_task_name END,
            updated_at = now()
        FROM last_move AS m
        WHERE t.company_id = :company_id AND t.id = :ticket_id
          AND (t.status = 'SUBMITTED' OR t.status_changed_at <= m.occurred_at)
    )
    SELECT count(*) FROM added
    """  # noqa: S608 -- the record's columns are this module's constant
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
# row or answer without the ticket. The answer is stored by `common.idempotency`'s statement,
# with the number and the submitter's name added; it matches no row without a key. The
# outbox row's `created_at` is the moment of writing, as `UnitOfWork.flush_outbox` writes it.
_STORE_ANSWER = store_answer(
    "tickets",
    merged="jsonb_build_object('number', ticket.number, 'submitted_by_name', (SELECT display_name FROM submitter))",
    source="ticket",
)
_SUBMIT = text(
    f"""
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
               jsonb_set(CAST(CAST(:payload AS text) AS jsonb), '{{data,number}}', to_jsonb(ticket.number)),
               CAST(CAST(:headers AS text) AS jsonb), clock_timestamp()
        FROM ticket
        RETURNING payload::text AS payload
    ),
    answer AS ({_STORE_ANSWER})
    SELECT EXISTS (SELECT 1 FROM current_type) AS type_current, ticket.sequence, ticket.number,
           (SELECT display_name FROM submitter) AS submitter_name,
           (SELECT payload FROM outbox) AS event_payload
    FROM (SELECT 1) AS one LEFT JOIN ticket ON true
    """  # noqa: S608 -- the answer's part is common.idempotency's constant statement
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
                    "ticket_data": jsontext.dumps(values["ticket_data"]),
                    "stem": stem,
                    "event_id": event.event_id,
                    "topic": event.topic,
                    "key": event.key,
                    "payload": event.payload,
                    "headers": event.headers,
                    **answer_params(answer, answer_body),
                },
            )
        ).one()
        return NumberedInsert(
            type_current=bool(row.type_current),
            sequence=row.sequence,
            number=row.number,
            submitter_name=row.submitter_name,
            event_payload=row.event_payload,
        )

    async def get(self, ticket_id: UUID, *, for_update: bool = False) -> Ticket | None:
        return await self.find(Ticket.id == ticket_id, for_update=for_update)

    async def with_detail(self, ticket_id: UUID, *, submitted_by: UUID | None) -> TicketWithDetail | None:
        """The ticket with its detail (`TicketWithDetail`), in one statement; only when
        `submitted_by` submitted it, when given."""
        statement = _DETAIL if submitted_by is None else _DETAIL_OF_SUBMITTER
        row = (
            await self.session.execute(
                statement,
                {"company_id": self.company_id, "ticket_id": ticket_id, "submitted_by": submitted_by},
            )
        ).one_or_none()
        if row is None:
            return None
        ticket, type_name, display_layout, submitter_name, timeline, attachments = row
        return TicketWithDetail(ticket, type_name, display_layout, submitter_name, timeline, attachments)

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
        one statement (`_PROJECT`): an event already on the
        timeline (a redelivery) changes nothing, nor does one for a ticket this company does
        not have; the status moves unless a later event already moved it (events of one
        workflow arrive in order, but a replay can bring an old one back). Returns how many
        events were new."""
        rows = [
            {"ord": n, **{name: getattr(event, name) for name in _PROJECTED_FIELDS}}
            for n, event in enumerate(events)
        ]
        added = await driver_fetch(
            self.session,
            _PROJECT,
            {
                "company_id": self.company_id,
                "ticket_id": ticket_id,
                "events": jsontext.dumps(rows),
            },
        )
        return int(added[0][0] or 0) if added else 0

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


def _detail_statement(*, of_submitter: bool) -> Select[Any]:
    """The ticket detail's statement (`TicketRepository.with_detail`), bound to a company, a
    ticket and, `of_submitter`, its submitter. Built once: building it and its cache key anew
    for every read costs more than running it."""
    company_id = bindparam("company_id", type_=Uuid)
    e, assignee = TimelineEntry, aliased(Person)
    entry = func.jsonb_build_object(
        "id", e.id, "event_type", e.event_type, "status", e.status,
        "workflow_status", e.workflow_status, "task_key", e.task_key, "task_name", e.task_name,
        "task_status", e.task_status, "assignee_id", e.assignee_id,
        "assignee_name", assignee.display_name, "detail", e.detail,
        "occurred_at", _utc_text(e.occurred_at),
    )  # fmt: skip
    timeline = (
        select(_json_list(aggregate_order_by(entry, e.occurred_at, e.id)))
        .select_from(e)
        .outerjoin(assignee, and_(assignee.company_id == e.company_id, assignee.user_id == e.assignee_id))
        .where(e.company_id == company_id, e.ticket_id == Ticket.id)
        .scalar_subquery()
    )
    a, uploader = Attachment, aliased(Person)
    attachment = func.jsonb_build_object(
        "id", a.id, "ticket_id", a.ticket_id, "task_instance_id", a.task_instance_id,
        "filename", a.filename, "version", a.version, "content_type", a.content_type,
        "size_bytes", a.size_bytes, "sha256", a.sha256, "uploaded_by", a.uploaded_by,
        "uploaded_by_name", uploader.display_name, "created_at", _utc_text(a.created_at),
    )  # fmt: skip
    attachments = (
        select(_json_list(aggregate_order_by(attachment, a.filename, a.version)))
        .select_from(a)
        .outerjoin(uploader, and_(uploader.company_id == a.company_id, uploader.user_id == a.uploaded_by))
        .where(a.company_id == company_id, a.ticket_id == Ticket.id)
        .scalar_subquery()
    )
    submitter = aliased(Person)
    conditions = [Ticket.company_id == company_id, Ticket.id == bindparam("ticket_id", type_=Uuid)]
    if of_submitter:
        conditions.append(Ticket.submitted_by == bindparam("submitted_by", type_=Uuid))
    return (
        select(
            Ticket, TicketType.name, TicketType.display_layout, submitter.display_name, timeline, attachments
        )
        .outerjoin(
            TicketType,
            and_(
                TicketType.company_id == Ticket.company_id,
                TicketType.key == Ticket.ticket_type_key,
                TicketType.version == Ticket.ticket_type_version,
            ),
        )
        .outerjoin(
            submitter,
            and_(submitter.company_id == Ticket.company_id, submitter.user_id == Ticket.submitted_by),
        )
        .where(*conditions)
    )


def _utc_text(column: Any) -> ColumnElement[str]:
    # JSON has no time type: the instant in UTC, to the microsecond, whatever the session's zone.
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')


def _json_list(aggregated: Any) -> ColumnElement[Any]:
    return func.coalesce(func.jsonb_agg(aggregated), literal_column("'[]'::jsonb"))


_DETAIL = _detail_statement(of_submitter=False)
_DETAIL_OF_SUBMITTER = _detail_statement(of_submitter=True)


def _tsquery(filters: TicketFilters) -> ColumnElement[Any] | None:
    if not filters.q:
        return None
    query = prefix_tsquery(filters.q)
    if query is None:
        return None
    return func.to_tsquery(text("'simple'::regconfig"), query)


def _start_of(day: Any) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)
