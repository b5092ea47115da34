"""Platform operators: they run the platform, not a company. The first is created from the
command line (`python -m identity operator create`); an operator signs in for a short-lived
token of its own audience (no company in it, so no tenant endpoint takes it), lists the
companies, reads each one's status and counts, and suspends or reactivates it.

Suspending a company refuses its users' sign-ins and refreshes, revokes its refresh tokens and
stamps `tokens_valid_after`, carried by `company.suspended`: the gateway refuses the access
tokens already issued, as it does for a deactivated user."""

from datetime import UTC, datetime
from uuid import UUID

from common.db import UnitOfWork
from common.errors import Conflict, NotFound, Unauthorized
from common.web import Page, PageParams
from contracts.identity import CompanyReactivated, CompanySuspended
from contracts.ids import uuid7
from identity.companies import service as companies_service
from identity.companies.repository import CompaniesRepository, PlatformCompaniesRepository
from identity.companies.schemas import CompanyStatus
from identity.emails import email_key, normalize_email
from identity.keys.service import sign_access_token
from identity.models import Company, Operator
from identity.operators.repository import OperatorRepository
from identity.operators.schemas import CompanyOverview, CompanySummary, OperatorRead, OperatorSessionRead
from identity.passwords import password_problems
from identity.runtime import IdentityRuntime
from identity.sessions import throttle
from identity.sessions.service import BAD_CREDENTIALS, LOGIN_WINDOW, Refused

OPERATOR_SCOPE = "platform_operator"


class OperatorExists(Conflict):
    pass


def _read(operator: Operator) -> OperatorRead:
    return OperatorRead(id=operator.id, email=operator.email, display_name=operator.display_name)


async def create(
    uow: UnitOfWork, runtime: IdentityRuntime, *, email: str, display_name: str, password: str
) -> OperatorRead:
    """A new operator (the command line's `operator create`); ValueError for a bad email or
    password, OperatorExists when the address is taken."""
    address = normalize_email(email)
    problems = password_problems(password)
    if problems:
        raise ValueError("The password " + "; ".join(problems) + ".")
    if await OperatorRepository(uow.session).find_by_email(email_key(address)) is not None:
        raise OperatorExists(f"There is already an operator {address}.")
    operator = Operator(
        id=uuid7(),
        email=address,
        display_name=display_name.strip() or address,
        password_hash=await runtime.passwords.hash(password),
        is_active=True,
    )
    OperatorRepository(uow.session).add(operator)
    await uow.session.flush()
    return _read(operator)


async def login(
    uow: UnitOfWork, runtime: IdentityRuntime, email: str, password: str, address: str
) -> OperatorSessionRead | Refused:
    settings = runtime.settings
    account = throttle.account_key("oplogin", email_key(email))
    origin = throttle.address_key("oplogin", address)
    await throttle.ensure_allowed(
        uow,
        account=account,
        account_limit=settings.login_rate_limit_per_minute,
        address=origin,
        address_limit=settings.address_rate_limit_per_minute,
        window=LOGIN_WINDOW,
    )
    operator = await OperatorRepository(uow.session).find_by_email(email_key(email))
    password_ok = await runtime.passwords.verify(operator.password_hash if operator else None, password)
    if operator is None or not password_ok or not operator.is_active:
        await throttle.record(uow, [account, origin], succeeded=False)
        return Refused(Unauthorized(BAD_CREDENTIALS))
    await throttle.record(uow, [account, origin], succeeded=True)
    key = await runtime.keyring.signing_key(uow)
    token = sign_access_token(
        key,
        settings,
        # Its own audience: the gateway takes it on the operator API only, and a tenant token
        # is not taken there.
        {"sub": str(operator.id), "aud": settings.operator_jwt_audience, "scope": OPERATOR_SCOPE},
    )
    return OperatorSessionRead(
        access_token=token, expires_in=settings.access_token_ttl_seconds, operator=_read(operator)
    )


async def me(uow: UnitOfWork, operator_id: UUID) -> OperatorRead:
    operator = await OperatorRepository(uow.session).get(operator_id)
    if operator is None or not operator.is_active:
        raise Unauthorized("This operator no longer exists.")
    return _read(operator)


def _summary(company: Company) -> CompanySummary:
    return CompanySummary(
        id=company.company_id,
        name=company.name,
        status=CompanyStatus(company.status),
        created_at=company.created_at,
        suspended_at=company.suspended_at,
    )


async def list_companies(
    uow: UnitOfWork, q: str | None, status: CompanyStatus | None, page: PageParams
) -> Page[CompanySummary]:
    platform = PlatformCompaniesRepository(uow.session)
    await platform.declare_platform_operator()
    rows, total = await platform.search(q, status.value if status else None, page.offset, page.page_size)
    return Page(items=[_summary(c) for c in rows], total=total, page=page.page, page_size=page.page_size)


async def _company(uow: UnitOfWork, company_id: UUID, *, for_update: bool = False) -> Company:
    await PlatformCompaniesRepository(uow.session).declare_platform_operator()
    company = await CompaniesRepository(uow.session, company_id).get(for_update=for_update)
    if company is None:
        raise NotFound("There is no such company.")
    # Counts and sessions are the company's own rows: read under its scope, as its users would.
    await uow.set_company(company_id)
    return company


async def _overview(uow: UnitOfWork, company: Company) -> CompanyOverview:
    return CompanyOverview(
        **_summary(company).model_dump(), counts=await companies_service.counts_of(uow, company.company_id)
    )


async def read_company(uow: UnitOfWork, company_id: UUID) -> CompanyOverview:
    return await _overview(uow, await _company(uow, company_id))


async def suspend(uow: UnitOfWork, company_id: UUID) -> CompanyOverview:
    """Suspend a company (again: nothing changes). Its refresh tokens are revoked and its
    access tokens refused from now on."""
    company = await _company(uow, company_id, for_update=True)
    if company.status != CompanyStatus.SUSPENDED:
        now = datetime.now(UTC)
        company.status = CompanyStatus.SUSPENDED.value
        company.suspended_at = now
        company.tokens_valid_after = now
        await CompaniesRepository(uow.session, company_id).revoke_all_sessions()
        await uow.publish(
            CompanySuspended(company_id=company_id, status=company.status, tokens_valid_after=now),
            company_id=company_id,
        )
        await uow.session.flush()
    return await _overview(uow, company)


async def reactivate(uow: UnitOfWork, company_id: UUID) -> CompanyOverview:
    """Let a suspended company's users sign in again (sessions ended by the suspension stay
    ended)."""
    company = await _company(uow, company_id, for_update=True)
    if company.status != CompanyStatus.ACTIVE:
        company.status = CompanyStatus.ACTIVE.value
        company.suspended_at = None
        await uow.publish(
            CompanyReactivated(
                company_id=company_id, status=company.status, tokens_valid_after=company.tokens_valid_after
            ),
            company_id=company_id,
        )
        await uow.session.flush()
    return await _overview(uow, company)
