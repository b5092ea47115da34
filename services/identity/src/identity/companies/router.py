from fastapi import APIRouter, Response, status

from common.web import PublicUoW
from identity.companies import service
from identity.companies.schemas import SignupRequest
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
