from fastapi import APIRouter

from common.auth import CurrentClaims
from common.reporting import DateRangeDep
from common.web import UoW
from tickets.reports import service
from tickets.reports.schemas import MyOpenTicketsRead, TicketOverviewRead, TicketReportRead, TicketSlaRead
from tickets.ticket.router import TicketTeamClaims

router = APIRouter(prefix="/api/tickets/reports", tags=["reports"])


@router.get("", response_model=TicketReportRead, response_model_by_alias=True)
async def ticket_report(uow: UoW, claims: TicketTeamClaims, period: DateRangeDep) -> TicketReportRead:
    """For the ticket team: tickets created and closed per day and type, and the time from
    submission to completion (median and 90th percentile) per type, over `from`..`to` (UTC
    days, inclusive; the last 30 days by default). `from` after `to` or more than 367 days is
    422."""
    return await service.report(uow, period)


@router.get("/sla", response_model=TicketSlaRead, response_model_by_alias=True)
async def ticket_sla(uow: UoW, claims: TicketTeamClaims, period: DateRangeDep) -> TicketSlaRead:
    """For the ticket team, over the tickets whose resolution was due `from`..`to` (UTC days,
    inclusive; the last 30 days by default) that were completed or are still open: per type,
    how many were due, how many breached (resolved after their due time, or still open past
    it) and the breach rate. A bad range is 422."""
    return await service.sla(uow, period)


@router.get("/overview")
async def ticket_overview(uow: UoW, claims: TicketTeamClaims) -> TicketOverviewRead:
    """For the ticket team's dashboard: the company's tickets by status, and how many were
    created and closed since Monday 00:00 UTC."""
    return await service.overview(uow)


@router.get("/mine")
async def my_open_tickets(uow: UoW, claims: CurrentClaims) -> MyOpenTicketsRead:
    """The caller's open tickets, oldest first, each with the task it waits on and whether a
    worker holds that task."""
    return await service.my_open_tickets(uow, claims.user_id)
