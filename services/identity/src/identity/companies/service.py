"""Company sign-up: the company, its default company role and its first user (an admin)."""

from common.auth import SystemRole
from common.db import UnitOfWork
from contracts.identity import CompanyCreated
from contracts.ids import uuid7
from identity.companies.repository import CompaniesRepository
from identity.companies.schemas import SignupRequest
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
