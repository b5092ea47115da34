from fastapi import APIRouter, Request, status

from common.auth import CurrentClaims
from common.web import UoW
from identity.profile import service
from identity.profile.schemas import PasswordChange
from identity.runtime import RuntimeDep
from identity.sessions.cookies import REFRESH_COOKIE
from identity.users import service as users_service
from identity.users.schemas import UserRead, UserUpdate

router = APIRouter(prefix="/api/identity/me", tags=["profile"])


@router.get("", response_model=UserRead)
async def read_me(uow: UoW, claims: CurrentClaims) -> UserRead:
    """The signed-in user."""
    return await users_service.get(uow, claims.company_id, claims.user_id)


@router.patch("", response_model=UserRead)
async def update_me(changes: UserUpdate, uow: UoW, claims: CurrentClaims) -> UserRead:
    """Change one's own first name, last name or email address (409 when the address is taken)."""
    return await users_service.update(uow, claims.company_id, claims.user_id, changes)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(
    change: PasswordChange, request: Request, uow: UoW, claims: CurrentClaims, runtime: RuntimeDep
) -> None:
    """Change one's password (the current one is needed). Signs out every other session."""
    await service.change_password(
        uow, runtime, claims.company_id, claims.user_id, change, request.cookies.get(REFRESH_COOKIE)
    )
