from typing import Annotated

from fastapi import APIRouter, Body, Request, Response, status

from common.web import DatabaseDep
from identity.runtime import ClientAddress, RuntimeDep
from identity.sessions import service
from identity.sessions.cookies import clear_refresh_cookie, deliver, refresh_token_from
from identity.sessions.schemas import LoginRequest, LogoutRequest, RefreshRequest, SessionRead

router = APIRouter(prefix="/api/identity", tags=["sessions"])


@router.post("/login", response_model=SessionRead, response_model_exclude_none=True)
async def login(
    data: LoginRequest, db: DatabaseDep, runtime: RuntimeDep, address: ClientAddress, response: Response
) -> SessionRead:
    """Sign in with email and password. 401 for a wrong pair (whichever half is wrong), 429 with
    `Retry-After` when the account or the client address tried too often."""
    # This call owns its transaction: a refused attempt is committed (it counts), then refused.
    async with db.unit_of_work() as uow:
        outcome = await service.login(uow, runtime, data.email, data.password, address)
    return deliver(outcome, response, runtime.settings, cookie=data.cookie)


@router.post("/refresh", response_model=SessionRead, response_model_exclude_none=True)
async def refresh(
    request: Request,
    db: DatabaseDep,
    runtime: RuntimeDep,
    response: Response,
    data: Annotated[RefreshRequest | None, Body()] = None,
) -> SessionRead:
    """Exchange a refresh token (the `tf_refresh` cookie with header `X-TF-CSRF: 1`, or
    `refresh_token` in the body) for a new access token and a new refresh token. A spent
    refresh token signs out its whole session family."""
    data = data or RefreshRequest()
    token = refresh_token_from(request, data.refresh_token, required=True)
    assert token is not None
    # Committed before answering, so a detected reuse stays revoked.
    async with db.unit_of_work() as uow:
        outcome = await service.refresh(uow, runtime, token)
    return deliver(outcome, response, runtime.settings, cookie=data.cookie)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request,
    db: DatabaseDep,
    runtime: RuntimeDep,
    response: Response,
    data: Annotated[LogoutRequest | None, Body()] = None,
) -> None:
    """End the session of the presented refresh token and clear the cookie. The access token in
    hand stays valid until it expires (minutes)."""
    token = refresh_token_from(request, data.refresh_token if data else None, required=False)
    if token is not None:
        async with db.unit_of_work() as uow:
            await service.logout(uow, token)
    clear_refresh_cookie(response, runtime.settings)
