"""Companies: sign-up (the company, its default company role and its first user, an admin),
and the company's own page (its details and counts, edited by its admins)."""

from uuid import UUID

from common.auth import SystemRole
from common.db import UnitOfWork
from common.errors import NotFound
from contracts.identity import CompanyCreated, CompanyUpdated
from contracts.ids import uuid7
from identity.companies.repository import CompaniesRepository
from identity.companies.schemas import (
    CompanyCountsRead,
    CompanyRead,
    CompanyStatus,
    CompanyUpdate,
    SignupRequest,
)
from identity.company_roles import service as company_roles_service
from identity.models import Company
from identity.runtime import IdentityRuntime
from identity.sessions import service as sessions_service
from identity.sessions.service import IssuedSession
from identity.users import service as users_service
from identity.users.repository import UserRepository


async def sign_up(uow: UnitOfWork, runtime: IdentityRuntime, data: SignupRequest) -> IssuedSession:
    company_id = uuid7()
    await uow.set_company(company_id)
    CompaniesRepository(uow.session, company_id).add(Company(company_id=company_id, name=data.company_name))
    await uow.session.flush()
    await company_roles_service.create_default(uow, company_id)
    await uow.publish(CompanyCreated(company_id=company_id, name=data.company_name), company_id=company_id)
    created = await users_service.create(
        uow,
        company_id,
        email=data.email,
        first_name=data.first_name,
        last_name=data.last_name,
        system_roles=[SystemRole.ADMIN, SystemRole.USER],
        company_roles=[company_roles_service.DEFAULT_ROLE],
        password_hash=await runtime.passwords.hash(data.password),
    )
    user = await UserRepository(uow.session, company_id).get(created.id)
    assert user is not None
    return await sessions_service.start(uow, runtime, user)


async def counts_of(uow: UnitOfWork, company_id: UUID) -> CompanyCountsRead:
    counted = await CompaniesRepository(uow.session, company_id).counts()
    return CompanyCountsRead(
        users=counted.users,
        active_users=counted.active_users,
        admins=counted.admins,
        company_roles=counted.company_roles,
    )


async def _view(uow: UnitOfWork, company: Company) -> CompanyRead:
    return CompanyRead(
        id=company.company_id,
        name=company.name,
        contact_email=company.contact_email,
        timezone=company.timezone,
        status=CompanyStatus(company.status),
        created_at=company.created_at,
        counts=await counts_of(uow, company.company_id),
    )


async def _own(uow: UnitOfWork, company_id: UUID, *, for_update: bool = False) -> Company:
    company = await CompaniesRepository(uow.session, company_id).get(for_update=for_update)
    if company is None:
        raise NotFound("There is no such company.")
    return company


async def read_own(uow: UnitOfWork, company_id: UUID) -> CompanyRead:
    return await _view(uow, await _own(uow, company_id))


async def update_own(uow: UnitOfWork, company_id: UUID, data: CompanyUpdate) -> CompanyRead:
    company = await _own(uow, company_id, for_update=True)
    changes = data.model_dump(exclude_unset=True)
    for field, value in changes.items():
        setattr(company, field, value)
    await uow.session.flush()
    await uow.session.refresh(company)
    if "name" in changes:
        await uow.publish(CompanyUpdated(company_id=company_id, name=company.name), company_id=company_id)
    return await _view(uow, company)
