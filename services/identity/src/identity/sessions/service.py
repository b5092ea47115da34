"""Sessions: signing in, refreshing, signing out.

A session is a family of refresh tokens. Each refresh spends the presented token and issues its
successor in the same family; presenting a spent token again means it was copied, so the whole
family is revoked. Access tokens are short-lived JWTs and are not revocable: signing out,
deactivation or a password change end the refresh family, and the access token in hand expires
within `access_token_ttl_seconds`.

`login` and `refresh` return a `Refused` instead of raising for refusals that must leave a
trace (a counted failed attempt, a revoked family): the caller commits, then raises.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from common.db import UnitOfWork
from common.errors import Forbidden, ProblemError, Unauthorized
from contracts.ids import uuid7
from identity.companies.repository import CompaniesRepository
from identity.emails import email_key
from identity.keys.service import sign_access_token
from identity.models import Company, RefreshToken, User
from identity.runtime import IdentityRuntime
from identity.secret_tokens import company_of, new_token, token_hash
from identity.sessions import throttle
from identity.sessions.repository import LoginAttemptRepository, RefreshTokenRepository
from identity.users import service as users_service
from identity.users.repository import LoginIdentityRepository, UserRepository
from identity.users.schemas import UserRead

log = logging.getLogger(__name__)

BAD_CREDENTIALS = "The email address or password is not right."
SESSION_ENDED = "The session has ended; sign in again."
REUSED = "This refresh token was already used. Every session it belonged to has been signed out."
SUSPENDED = "This company's account is suspended. Contact the platform's operators."
LOGIN_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class IssuedSession:
    access_token: str
    expires_in: int
    refresh_token: str
    refresh_expires_at: datetime
    user: UserRead


@dataclass(frozen=True)
class Refused:
    problem: ProblemError


async def _issue(uow: UnitOfWork, runtime: IdentityRuntime, user: User, family_id: UUID) -> IssuedSession:
    settings = runtime.settings
    refresh = new_token(user.company_id)
    expires_at = datetime.now(UTC) + timedelta(days=settings.refresh_token_ttl_days)
    RefreshTokenRepository(uow.session, user.company_id).add(
        RefreshToken(
            company_id=user.company_id,
            user_id=user.id,
            family_id=family_id,
            token_hash=token_hash(refresh),
            expires_at=expires_at,
        ),
    )
    await uow.session.flush()
    view = await users_service.read(uow, user)
    key = await runtime.keyring.signing_key(uow)
    company = await CompaniesRepository(uow.session, user.company_id).get()
    stamps = [s for s in (user.tokens_valid_after, company.tokens_valid_after if company else None) if s]
    access = sign_access_token(
        key,
        settings,
        {
            "sub": str(user.id),
            "company_id": str(user.company_id),
            "roles": view.system_roles,
            "company_roles": view.company_roles,
        },
        valid_after=max(stamps, default=None),
    )
    return IssuedSession(access, settings.access_token_ttl_seconds, refresh, expires_at, view)


async def start(uow: UnitOfWork, runtime: IdentityRuntime, user: User) -> IssuedSession:
    """A new session (a new refresh family) for a user who just proved who they are."""
    return await _issue(uow, runtime, user, uuid7())


def _is_suspended(company: Company | None) -> bool:
    return company is None or company.status != "active"


async def login(
    uow: UnitOfWork, runtime: IdentityRuntime, email: str, password: str, address: str
) -> IssuedSession | Refused:
    settings = runtime.settings
    key = email_key(email)
    account = throttle.account_key("login", key)
    origin = throttle.address_key("login", address)
    await throttle.ensure_allowed(
        uow,
        account=account,
        account_limit=settings.login_rate_limit_per_minute,
        address=origin,
        address_limit=settings.address_rate_limit_per_minute,
        window=LOGIN_WINDOW,
    )
    user: User | None = None
    identity = await LoginIdentityRepository(uow.session).find_login(key)
    if identity is not None:
        await uow.set_company(identity.company_id)
        user = await UserRepository(uow.session, identity.company_id).get(identity.user_id)
    password_ok = await runtime.passwords.verify(user.password_hash if user else None, password)
    if user is None or not password_ok or not user.is_active:
        await throttle.record(uow, [account, origin], succeeded=False)
        return Refused(Unauthorized(BAD_CREDENTIALS))
    # Said only to who knows the password: a suspension is no business of a guesser.
    if _is_suspended(await CompaniesRepository(uow.session, user.company_id).get()):
        await throttle.record(uow, [account, origin], succeeded=False)
        return Refused(Forbidden(SUSPENDED))
    await throttle.record(uow, [account, origin], succeeded=True)
    return await start(uow, runtime, user)


async def refresh(uow: UnitOfWork, runtime: IdentityRuntime, token: str) -> IssuedSession | Refused:
    company_id = company_of(token)
    if company_id is None:
        return Refused(Unauthorized(SESSION_ENDED))
    await uow.set_company(company_id)
    now = datetime.now(UTC)
    row = await RefreshTokenRepository(uow.session, company_id).find_token(token_hash(token))
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return Refused(Unauthorized(SESSION_ENDED))
    if row.used_at is not None:
        log.warning("refresh token reuse in family %s of user %s: family revoked", row.family_id, row.user_id)
        await RefreshTokenRepository(uow.session, company_id).revoke_family(row.family_id, now)
        return Refused(Unauthorized(REUSED))
    user = await UserRepository(uow.session, company_id).get(row.user_id)
    if user is None or not user.is_active:
        await RefreshTokenRepository(uow.session, company_id).revoke_family(row.family_id, now)
        return Refused(Unauthorized(SESSION_ENDED))
    if _is_suspended(await CompaniesRepository(uow.session, company_id).get()):
        await RefreshTokenRepository(uow.session, company_id).revoke_family(row.family_id, now)
        return Refused(Unauthorized(SUSPENDED))
    row.used_at = now
    return await _issue(uow, runtime, user, row.family_id)


async def logout(uow: UnitOfWork, token: str) -> None:
    """End the session the token belongs to; an unknown or spent token ends nothing."""
    company_id = company_of(token)
    if company_id is None:
        return
    await uow.set_company(company_id)
    row = await RefreshTokenRepository(uow.session, company_id).find_token(token_hash(token))
    if row is not None:
        await RefreshTokenRepository(uow.session, company_id).revoke_family(row.family_id, datetime.now(UTC))


async def family_of(uow: UnitOfWork, company_id: UUID, user_id: UUID, token: str | None) -> UUID | None:
    """The session family of a live refresh token of this user, if the caller sent one."""
    if not token or company_of(token) != company_id:
        return None
    row = await RefreshTokenRepository(uow.session, company_id).find_token(token_hash(token))
    if row is None or row.user_id != user_id or row.revoked_at is not None:
        return None
    return row.family_id


async def purge_login_attempts(uow: UnitOfWork, older_than: timedelta) -> int:
    return await LoginAttemptRepository(uow.session).purge_attempts_before(datetime.now(UTC) - older_than)
