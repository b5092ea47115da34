"""The tickets schema's aggregates for dashboards and reports: every statement is scoped by
company (and row-level security scopes it again)."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Date, Integer, and_, cast, func, literal_column, or_, select
from sqlalchemy.dialects.postgresql import distinct_on

from common.repository import CompanyRepository
from contracts.tickets import ACTIVE_TICKET_STATUSES, TicketStatus
from tickets.models import Ticket, TicketType, TimelineEntry

# Calendar days are UTC days, whatever the session's time zone is.
_CREATED_DAY = cast(func.timezone("UTC", Ticket.created_at), Date)
_CLOSED_DAY = cast(func.timezone("UTC", Ticket.closed_at), Date)
MY_OPEN_LIMIT = 50


class ReportRepository(CompanyRepository[Ticket]):
    model = Ticket

    async def created_per_day(self, start: datetime, end: datetime) -> list[tuple[date, str, int]]:
        rows = await self.session.execute(
            select(_CREATED_DAY, Ticket.ticket_type_key, func.count())
            .where(self.owned(), Ticket.created_at >= start, Ticket.created_at < end)
            .group_by(_CREATED_DAY, Ticket.ticket_type_key)
        )
        return [(d, k, int(c)) for d, k, c in rows]

    async def closed_per_day(self, start: datetime, end: datetime) -> list[tuple[date, str, int]]:
        rows = await self.session.execute(
            select(_CLOSED_DAY, Ticket.ticket_type_key, func.count())
            .where(self.owned(), Ticket.closed_at >= start, Ticket.closed_at < end)
            .group_by(_CLOSED_DAY, Ticket.ticket_type_key)
        )
        return [(d, k, int(c)) for d, k, c in rows]

    async def resolution_by_type(self, start: datetime, end: datetime) -> list[tuple[str, int, float, float]]:
        """Creation to completion of the tickets completed in the range (cancelled ones are
        not resolved), as the median and the 90th percentile per type."""
        seconds = func.extract("epoch", Ticket.closed_at - Ticket.created_at)
        rows = await self.session.execute(
            select(
                Ticket.ticket_type_key,
                func.count(),
                func.percentile_cont(0.5).within_group(seconds),
                func.percentile_cont(0.9).within_group(seconds),
            )
            .where(
                self.owned(),
                Ticket.status == TicketStatus.COMPLETED,
                Ticket.closed_at >= start,
                Ticket.closed_at < end,
            )
            .group_by(Ticket.ticket_type_key)
            .order_by(Ticket.ticket_type_key)
        )
        return [(k, int(c), float(p50), float(p90)) for k, c, p50, p90 in rows]

    async def type_names(self) -> dict[str, str]:
        """Each ticket type's name as its newest version has it."""
        rows = await self.session.execute(
            select(TicketType.key, TicketType.name)
            .where(self.owned(TicketType))
            .ext(distinct_on(TicketType.key))
            .order_by(TicketType.key, TicketType.version.desc())
        )
        return {k: n for k, n in rows}

    async def count_by_status(self) -> dict[str, int]:
        rows = await self.session.execute(
            select(Ticket.status, func.count()).where(self.owned()).group_by(Ticket.status)
        )
        return {s: int(c) for s, c in rows}

    async def created_and_closed_since(self, since: datetime) -> tuple[int, int]:
        created = await self.session.scalar(
            select(func.count()).where(self.owned(), Ticket.created_at >= since)
        )
        closed = await self.session.scalar(
            select(func.count()).where(self.owned(), Ticket.closed_at >= since)
        )
        return int(created or 0), int(closed or 0)

    async def open_of_submitter(self, user_id: UUID) -> tuple[list[dict[str, Any]], int]:
        """The submitter's open tickets, oldest first, each with the task its workflow last
        reported (the newest timeline entry that names a task)."""
        mine = (
            self.owned(),
            Ticket.submitted_by == user_id,
            Ticket.status.in_(ACTIVE_TICKET_STATUSES),
        )
        total = await self.session.scalar(select(func.count()).select_from(Ticket).where(*mine))
        last_task = (
            select(TimelineEntry.task_name, TimelineEntry.task_status, TimelineEntry.assignee_id)
            .where(
                TimelineEntry.company_id == Ticket.company_id,
                TimelineEntry.ticket_id == Ticket.id,
                TimelineEntry.task_key.is_not(None),
            )
            .order_by(TimelineEntry.occurred_at.desc(), TimelineEntry.id.desc())
            .limit(1)
            .lateral("last_task")
        )
        rows = await self.session.execute(
            select(
                Ticket.id,
                Ticket.number,
                Ticket.title,
                Ticket.status,
                Ticket.ticket_type_key,
                Ticket.created_at,
                Ticket.status_changed_at,
                func.coalesce(last_task.c.task_name, Ticket.current_task_name).label("waiting_on"),
                last_task.c.task_status,
                last_task.c.assignee_id.is_not(None).label("assigned"),
            )
            .select_from(Ticket)
            .outerjoin(last_task, literal_column("true"))
            .where(*mine)
            .order_by(Ticket.created_at, Ticket.id)
            .limit(MY_OPEN_LIMIT)
        )
        return [dict(r._mapping) for r in rows], int(total or 0)

    async def sla_by_type(self, start: datetime, end: datetime, now: datetime) -> list[dict[str, Any]]:
        """Per ticket type, the tickets whose resolution was due in the range (completed or
        still open; a cancelled ticket owes nothing) and how many breached: completed after
        the due time, or still open past it at `now`. Completing exactly at it is on time."""
        active = Ticket.status.in_(ACTIVE_TICKET_STATUSES)
        breached = or_(
            and_(Ticket.status == TicketStatus.COMPLETED, Ticket.closed_at > Ticket.resolution_due_at),
            and_(active, Ticket.resolution_due_at < now),
        )
        rows = await self.session.execute(
            select(
                Ticket.ticket_type_key,
                func.count().label("due"),
                func.sum(cast(breached, Integer)).label("breached"),
                func.sum(cast(and_(active, breached), Integer)).label("open_breached"),
            )
            .where(
                self.owned(),
                Ticket.resolution_due_at >= start,
                Ticket.resolution_due_at < end,
                Ticket.status != TicketStatus.CANCELLED,
            )
            .group_by(Ticket.ticket_type_key)
            .order_by(Ticket.ticket_type_key)
        )
        return [dict(r._mapping) for r in rows]
