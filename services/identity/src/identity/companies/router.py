from fastapi import APIRouter, Response, status

from common.auth import AdminClaims, CurrentClaims
from common.web import PublicUoW, UoW
from identity.companies import service
from identity.companies.schemas import CompanyRead, CompanyUpdate, SignupRequest
from identity.runtime import RuntimeDep
from identity.sessions.cookies import deliver
from identity.sessions.schemas import SessionRead

router = APIRouter(prefix="/api/identity", tags=["companies"])


@router.post(
    "/signup",
    response_model=SessionRead,
    response_model_exclude_none=True,
    status_code=status.HTTP_201_CREATED,
)
async def sign_up(
    data: SignupRequest, uow: PublicUoW, runtime: RuntimeDep, response: Response
) -> SessionRead:
    """Sign a new company up. Its first user (`admin` and `user`, company role `user`) is signed
    in at once. 409 when the email address already has an account."""
    session = await service.sign_up(uow, runtime, data)
    return deliver(session, response, runtime.settings, cookie=data.cookie)


@router.get("/company")
async def read_company(uow: UoW, claims: CurrentClaims) -> CompanyRead:
    """The caller's company: its name, details, status, when it was created and how many users
    and company roles it has."""
    return await service.read_own(uow, claims.company_id)


@router.patch("/company")
async def update_company(data: CompanyUpdate, uow: UoW, claims: AdminClaims) -> CompanyRead:
    """Change the company's details (admins): name, contact email, time zone. Only the fields
    sent change; each bad one is listed (422) and nothing is written."""
    return await service.update_own(uow, claims.company_id, data)
