"""Dashboard figures and reports over the company's tickets."""

from datetime import UTC, datetime
from uuid import UUID

from common.db import UnitOfWork
from common.reporting import DateRange, week_start
from tickets.reports.repository import ReportRepository
from tickets.reports.schemas import (
    MyOpenTicketsRead,
    TicketOverviewRead,
    TicketReportRead,
    TicketSlaRead,
    TypeDayCount,
    TypeResolution,
    TypeSla,
    WaitingTicketRead,
)


async def report(uow: UnitOfWork, period: DateRange) -> TicketReportRead:
    repo = ReportRepository.of(uow)
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for day, key, n in await repo.created_per_day(period.start, period.end):
        counts.setdefault((day.isoformat(), key), {"created": 0, "closed": 0})["created"] = n
    for day, key, n in await repo.closed_per_day(period.start, period.end):
        counts.setdefault((day.isoformat(), key), {"created": 0, "closed": 0})["closed"] = n
    names = await repo.type_names()
    return TicketReportRead(
        first_day=period.first_day,
        last_day=period.last_day,
        per_day=[
            TypeDayCount.model_validate({"day": day, "ticket_type_key": key, **figures})
            for (day, key), figures in sorted(counts.items())
        ],
        resolution=[
            TypeResolution(
                ticket_type_key=key,
                ticket_type_name=names.get(key, key),
                resolved=n,
                p50_seconds=round(p50, 3),
                p90_seconds=round(p90, 3),
            )
            for key, n, p50, p90 in await repo.resolution_by_type(period.start, period.end)
        ],
    )


async def sla(uow: UnitOfWork, period: DateRange) -> TicketSlaRead:
    """SLA breaches of the tickets whose resolution was due in the range, per type."""
    repo = ReportRepository.of(uow)
    names = await repo.type_names()
    return TicketSlaRead(
        first_day=period.first_day,
        last_day=period.last_day,
        per_type=[
            TypeSla(
                ticket_type_key=row["ticket_type_key"],
                ticket_type_name=names.get(row["ticket_type_key"], row["ticket_type_key"]),
                due=row["due"],
                breached=row["breached"],
                open_breached=row["open_breached"],
                breach_rate=round(row["breached"] / row["due"], 4) if row["due"] else 0.0,
            )
            for row in await repo.sla_by_type(period.start, period.end, datetime.now(UTC))
        ],
    )


async def overview(uow: UnitOfWork) -> TicketOverviewRead:
    repo = ReportRepository.of(uow)
    by_status = await repo.count_by_status()
    since = week_start(datetime.now(UTC))
    created, closed = await repo.created_and_closed_since(since)
    return TicketOverviewRead(
        total=sum(by_status.values()),
        by_status=by_status,
        week_start=since,
        created_this_week=created,
        closed_this_week=closed,
    )


async def my_open_tickets(uow: UnitOfWork, user_id: UUID) -> MyOpenTicketsRead:
    rows, total = await ReportRepository.of(uow).open_of_submitter(user_id)
    return MyOpenTicketsRead(total=total, items=[WaitingTicketRead.model_validate(r) for r in rows])
