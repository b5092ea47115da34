"""Password reset and invitation links: single-use, stored hashed, expiring (30 minutes for a
reset, `invitation_token_ttl_hours` for the mail a new user gets to set their first password).

A reset request answers the same whether or not the address has an account, and does the same
work either way except sending the mail."""

from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from common.db import UnitOfWork
from common.errors import BadRequest
from identity.emails import email_key
from identity.mail.port import OutgoingMail
from identity.models import PasswordResetToken, User
from identity.password_reset.repository import PasswordResetRepository
from identity.runtime import IdentityRuntime
from identity.secret_tokens import company_of, new_token, token_hash
from identity.sessions import throttle
from identity.sessions.repository import RefreshTokenRepository
from identity.users.repository import LoginIdentityRepository, UserRepository

INVALID_LINK = "This link is invalid, already used or expired. Ask for a new one."
RESET_WINDOW = timedelta(hours=1)


def _link(runtime: IdentityRuntime, token: str) -> str:
    return f"{runtime.settings.public_url.rstrip('/')}/reset-password?token={quote(token)}"


async def _issue(uow: UnitOfWork, user: User, purpose: str, ttl: timedelta) -> str:
    token = new_token(user.company_id)
    PasswordResetRepository(uow.session, user.company_id).add(
        PasswordResetToken(
            company_id=user.company_id,
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=datetime.now(UTC) + ttl,
        )
    )
    await uow.session.flush()
    return token


async def request_reset(uow: UnitOfWork, runtime: IdentityRuntime, email: str, address: str) -> None:
    settings = runtime.settings
    key = email_key(email)
    account = throttle.account_key("reset", key)
    origin = throttle.address_key("reset", address)
    await throttle.ensure_allowed(
        uow,
        account=account,
        account_limit=settings.password_reset_rate_limit_per_hour,
        address=origin,
        address_limit=settings.password_reset_rate_limit_per_hour * 10,
        window=RESET_WINDOW,
        account_failures_only=False,
    )
    await throttle.record(uow, [account, origin], succeeded=True)
    identity = await LoginIdentityRepository(uow.session).find_login(key)
    if identity is None:
        return
    await uow.set_company(identity.company_id)
    user = await UserRepository(uow.session, identity.company_id).get(identity.user_id)
    if user is None or not user.is_active:
        return
    token = await _issue(uow, user, "reset", timedelta(minutes=settings.reset_token_ttl_minutes))
    runtime.postman.send_after_commit(
        uow,
        OutgoingMail(
            to=user.email,
            subject="Reset your TicketFlower password",
            text=(
                f"Hello {user.first_name},\n\n"
                "Someone (hopefully you) asked to reset the password of your TicketFlower account.\n"
                "Choose a new password here (the link works once, for "
                f"{settings.reset_token_ttl_minutes} minutes):\n\n"
                f"{_link(runtime, token)}\n\n"
                "If it was not you, ignore this mail: your password stays as it is.\n"
            ),
        ),
    )


async def send_invitation(
    uow: UnitOfWork, runtime: IdentityRuntime, user: User, company_name: str | None
) -> None:
    hours = runtime.settings.invitation_token_ttl_hours
    token = await _issue(uow, user, "invitation", timedelta(hours=hours))
    where = f" of {company_name}" if company_name else ""
    runtime.postman.send_after_commit(
        uow,
        OutgoingMail(
            to=user.email,
            subject="Your TicketFlower account",
            text=(
                f"Hello {user.first_name},\n\n"
                f"An account{where} has been created for you on TicketFlower.\n"
                f"Set your password here (the link works once, for {hours} hours):\n\n"
                f"{_link(runtime, token)}\n"
            ),
        ),
    )


async def confirm(uow: UnitOfWork, runtime: IdentityRuntime, token: str, new_password: str) -> None:
    """Set the password with a link's token; every session of the user ends."""
    company_id = company_of(token)
    if company_id is None:
        raise BadRequest(INVALID_LINK)
    await uow.set_company(company_id)
    now = datetime.now(UTC)
    row = await PasswordResetRepository(uow.session, company_id).find_token(token_hash(token))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise BadRequest(INVALID_LINK)
    user = await UserRepository(uow.session, company_id).get(row.user_id, for_update=True)
    if user is None or not user.is_active:
        raise BadRequest(INVALID_LINK)
    if new_password.strip().lower() == user.email.lower():
        message = "The password must not be the email address."
        raise BadRequest(message, errors=[{"loc": ["body", "new_password"], "msg": message, "type": "weak"}])
    user.password_hash = await runtime.passwords.hash(new_password)
    await PasswordResetRepository(uow.session, company_id).spend_all(user.id, now)
    await RefreshTokenRepository(uow.session, company_id).revoke_user_sessions(user.id, except_family=None)
