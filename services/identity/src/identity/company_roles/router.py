from uuid import UUID

from fastapi import APIRouter, Response, status

from common.auth import AdminClaims
from common.idempotency import IdempotencyDep
from common.web import UoW
from identity.company_roles import service
from identity.company_roles.schemas import CompanyRoleCreate, CompanyRoleRead, CompanyRoleUpdate

router = APIRouter(prefix="/api/identity/company-roles", tags=["company roles"])


@router.get("", response_model=list[CompanyRoleRead])
async def list_company_roles(uow: UoW, claims: AdminClaims) -> list[CompanyRoleRead]:
    """Every company role of the caller's company, the default `user` role first."""
    return await service.list_roles(uow, claims.company_id)


@router.post("", response_model=CompanyRoleRead, status_code=status.HTTP_201_CREATED)
async def create_company_role(
    data: CompanyRoleCreate, uow: UoW, claims: AdminClaims, idempotency: IdempotencyDep
) -> CompanyRoleRead | Response:
    """Add a company role; its name must be new to the company (case-insensitively). An
    `Idempotency-Key` makes a repeat within 24 hours answer the first response."""
    return await idempotency.create(
        data, status.HTTP_201_CREATED, lambda: service.create(uow, claims.company_id, data)
    )


@router.get("/{role_id}", response_model=CompanyRoleRead)
async def get_company_role(role_id: UUID, uow: UoW, claims: AdminClaims) -> CompanyRoleRead:
    """One company role."""
    return await service.get(uow, claims.company_id, role_id)


@router.patch("/{role_id}", response_model=CompanyRoleRead)
async def update_company_role(
    role_id: UUID, changes: CompanyRoleUpdate, uow: UoW, claims: AdminClaims
) -> CompanyRoleRead:
    """Rename a company role or change its description (the `user` role keeps its name)."""
    return await service.update(uow, claims.company_id, role_id, changes)


@router.delete("/{role_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_company_role(role_id: UUID, uow: UoW, claims: AdminClaims) -> None:
    """Delete a company role and take it away from every user holding it (not `user`)."""
    await service.delete(uow, claims.company_id, role_id)
