"""The platform operators' API, under `/api/identity/operator`. The gateway takes only operator
tokens here (and operator tokens nowhere else); every route but sign-in needs the gateway's
signed operator claims."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from common.auth import CurrentOperator
from common.web import DatabaseDep, Page, PageDep, PublicUoW
from identity.companies.schemas import CompanyStatus
from identity.operators import service
from identity.operators.schemas import (
    CompanyOverview,
    CompanySummary,
    OperatorLogin,
    OperatorRead,
    OperatorSessionRead,
)
from identity.runtime import ClientAddress, RuntimeDep

router = APIRouter(prefix="/api/identity/operator", tags=["platform operators"])


@router.post("/login")
async def operator_login(
    data: OperatorLogin, db: DatabaseDep, runtime: RuntimeDep, address: ClientAddress
) -> OperatorSessionRead:
    """Sign a platform operator in: a short-lived access token for this API alone (no refresh;
    sign in again when it expires). 401 for a wrong pair, 429 when tried too often."""
    async with db.unit_of_work() as uow:
        outcome = await service.login(uow, runtime, data.email, data.password, address)
    if not isinstance(outcome, OperatorSessionRead):
        raise outcome.problem
    return outcome


@router.get("/me")
async def operator_me(uow: PublicUoW, operator: CurrentOperator) -> OperatorRead:
    """The signed-in operator."""
    return await service.me(uow, operator.operator_id)


@router.get("/companies")
async def list_companies(
    uow: PublicUoW,
    operator: CurrentOperator,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: CompanyStatus | None = None,
) -> Page[CompanySummary]:
    """Every company on the platform, by name: its name, status and when it was created. `q`
    searches the name."""
    await service.me(uow, operator.operator_id)
    return await service.list_companies(uow, q.strip() if q else None, status, page)


@router.get("/companies/{company_id}")
async def read_company(uow: PublicUoW, operator: CurrentOperator, company_id: UUID) -> CompanyOverview:
    """One company: status and counts (users, active users, admins, company roles), nothing of
    its tenants' records."""
    await service.me(uow, operator.operator_id)
    return await service.read_company(uow, company_id)


@router.post("/companies/{company_id}/suspend")
async def suspend_company(uow: PublicUoW, operator: CurrentOperator, company_id: UUID) -> CompanyOverview:
    """Suspend a company: its users cannot sign in, and their open sessions end (refresh tokens
    revoked, access tokens refused by the gateway within seconds)."""
    await service.me(uow, operator.operator_id)
    return await service.suspend(uow, company_id)


@router.post("/companies/{company_id}/reactivate")
async def reactivate_company(uow: PublicUoW, operator: CurrentOperator, company_id: UUID) -> CompanyOverview:
    """Reactivate a suspended company: its users may sign in again."""
    await service.me(uow, operator.operator_id)
    return await service.reactivate(uow, company_id)
