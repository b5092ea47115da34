from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from common.auth import AdminClaims
from common.idempotency import IdempotencyDep
from common.web import Page, PageDep, UoW
from identity.runtime import RuntimeDep
from identity.users import service
from identity.users.schemas import RolesUpdate, UserCreate, UserRead, UserUpdate

router = APIRouter(prefix="/api/identity/users", tags=["users"])


@router.get("", response_model=Page[UserRead])
async def list_users(
    uow: UoW, claims: AdminClaims, page: PageDep, q: Annotated[str | None, Query(max_length=200)] = None
) -> Page[UserRead]:
    """The users of the caller's company, by name; `q` searches email, first and last name."""
    return await service.search(uow, claims.company_id, q.strip() if q else None, page)


@router.post("", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def create_user(
    data: UserCreate, uow: UoW, claims: AdminClaims, runtime: RuntimeDep, idempotency: IdempotencyDep
) -> UserRead | Response:
    """Create a user of the caller's company. Without an initial `password`, the user is mailed
    a link to set one. 409 when the email address already has an account. An
    `Idempotency-Key` makes a repeat within 24 hours answer the first response."""
    return await idempotency.create(
        data,
        status.HTTP_201_CREATED,
        lambda: service.create_by_admin(uow, runtime, claims.company_id, data),
    )


@router.get("/{user_id}", response_model=UserRead)
async def get_user(user_id: UUID, uow: UoW, claims: AdminClaims) -> UserRead:
    """One user of the caller's company (404 for anyone else's)."""
    return await service.get(uow, claims.company_id, user_id)


@router.patch("/{user_id}", response_model=UserRead)
async def update_user(user_id: UUID, changes: UserUpdate, uow: UoW, claims: AdminClaims) -> UserRead:
    """Change a user's name or email address."""
    return await service.update(uow, claims.company_id, user_id, changes)


@router.post("/{user_id}/deactivate", response_model=UserRead)
async def deactivate_user(user_id: UUID, uow: UoW, claims: AdminClaims) -> UserRead:
    """Deactivate a user: no more sign-in or refresh, sessions revoked. Their current access
    token lapses on its own within minutes. 409 for oneself or the company's last admin."""
    return await service.deactivate(uow, claims.company_id, user_id, claims.user_id)


@router.put("/{user_id}/roles", response_model=UserRead)
async def replace_user_roles(user_id: UUID, roles: RolesUpdate, uow: UoW, claims: AdminClaims) -> UserRead:
    """Set a user's system roles (`user` is always kept) and company roles (by name)."""
    return await service.replace_roles(uow, claims.company_id, user_id, roles)
