from fastapi import APIRouter

from actions.reports import service
from actions.reports.schemas import ActionReportRead
from common.auth import AdminClaims
from common.reporting import DateRangeDep
from common.web import UoW

router = APIRouter(prefix="/api/actions/reports", tags=["reports"])


@router.get("", response_model=ActionReportRead, response_model_by_alias=True)
async def action_report(uow: UoW, claims: AdminClaims, period: DateRangeDep) -> ActionReportRead:
    """For admins: action failures by target host over the requests that ended `from`..`to`
    (UTC days, inclusive; the last 30 days by default), with each host's newest error. A bad
    range is 422."""
    return await service.report(uow, period)
