from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, String, Table, cast, func, literal, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.sql.elements import UnaryExpression

from common.repository import CompanyRepository
from common.text_search import prefix_tsquery
from contracts.engine import WorkflowOutcome
from contracts.tickets import ACTIVE_TICKET_STATUSES, ARCHIVED_TICKET_STATUSES, TicketStatus
from tickets.models import Ticket, TicketNumberCounter, TimelineEntry
from tickets.ticket.schemas import TicketFilters, TicketSort, TicketView


class TicketRepository(CompanyRepository[Ticket]):
    model = Ticket

    async def insert_numbered(self, values: dict[str, Any], stem: str) -> dict[str, Any] | None:
        """Insert a ticket with the next number of its prefix, in one statement. The counter's
        upsert takes the counter row's lock until the transaction ends: concurrent submits
        queue behind it, and a submit that rolls back gives its number back, so committed
        numbers have no gaps and never collide; taking the number and writing the ticket at
        once keeps that lock as short as it can be. Returns the ticket's `sequence`, `number`,
        `created_at` and `updated_at`, or None when its inbound event id is already taken
        (nothing is written then)."""
        counter = TicketNumberCounter.__table__
        tickets = Ticket.__table__
        assert isinstance(counter, Table)
        assert isinstance(tickets, Table)
        upsert = insert(counter).values(
            company_id=values["company_id"], prefix=values["prefix"], last_number=1
        )
        taken = (
            upsert.on_conflict_do_update(
                index_elements=[counter.c.company_id, counter.c.prefix],
                set_={"last_number": counter.c.last_number + 1},
            )
            .returning(counter.c.last_number)
            .cte("taken")
        )
        columns = [tickets.c[name] for name in values]
        row = (
            await self.session.execute(
                insert(tickets)
                .from_select(
                    [*columns, tickets.c.sequence, tickets.c.number],
                    select(
                        *(literal(value, tickets.c[name].type) for name, value in values.items()),
                        taken.c.last_number,
                        literal(stem) + cast(taken.c.last_number, String),
                    ),
                )
                .on_conflict_do_nothing()
                .returning(tickets.c.sequence, tickets.c.number, tickets.c.created_at, tickets.c.updated_at)
            )
        ).one_or_none()
        return dict(row._mapping) if row is not None else None

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

    async def apply_status(
        self,
        ticket_id: UUID,
        *,
        status: TicketStatus,
        changed_at: datetime,
        closed: bool,
        workflow_instance_id: UUID,
        current_task_name: str | None,
        touch_task: bool,
        outcome: WorkflowOutcome | None = None,
    ) -> None:
        """Move a ticket to `status` unless a later event already moved it (events of one
        workflow arrive in order, but a replay can bring an old one back). The outcome is
        the finished workflow's: any other status leaves the ticket without one."""
        values: dict[str, Any] = {
            "status": status.value,
            "status_changed_at": changed_at,
            "closed_at": changed_at if closed else None,
            "workflow_instance_id": workflow_instance_id,
            "outcome_key": outcome.key if outcome else None,
            "outcome_label": outcome.label if outcome else None,
            "outcome_message": outcome.message if outcome else None,
            "updated_at": func.now(),
        }
        if touch_task:
            values["current_task_name"] = current_task_name
        await self.session.execute(
            update(Ticket)
            .where(
                self.owned(),
                Ticket.id == ticket_id,
                or_(Ticket.status == TicketStatus.SUBMITTED.value, Ticket.status_changed_at <= changed_at),
            )
            .values(**values)
        )

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

    async def add_timeline_entry(self, values: dict[str, Any]) -> bool:
        """False when the event is already on the timeline."""
        added = await self.session.scalar(
            insert(TimelineEntry).values(**values).on_conflict_do_nothing().returning(TimelineEntry.id)
        )
        return added is not None

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
