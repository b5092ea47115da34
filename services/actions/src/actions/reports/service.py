"""Reports over the company's action requests."""

from actions.reports import repository
from actions.reports.schemas import ActionReportRead, HostFailures
from common.db import UnitOfWork
from common.reporting import DateRange


async def report(uow: UnitOfWork, period: DateRange) -> ActionReportRead:
    assert uow.company_id is not None
    rows = await repository.failures_by_host(uow.session, uow.company_id, period.start, period.end)
    hosts = [
        HostFailures(
            host=row["host"],
            finished=row["finished"],
            failed=row["failed"],
            failure_rate=round(row["failed"] / row["finished"], 4) if row["finished"] else 0.0,
            http_calls=int(row["http_calls"]),
            last_failure_at=row["last_failure_at"],
            last_error=row["last_error"],
        )
        for row in rows
    ]
    hosts.sort(key=lambda h: (-h.failed, h.host))
    return ActionReportRead(first_day=period.first_day, last_day=period.last_day, hosts=hosts)
