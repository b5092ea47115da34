"""The signed-in user's own account."""

from uuid import UUID

from common.db import UnitOfWork
from common.errors import ValidationProblem
from identity.password_reset.repository import PasswordResetRepository
from identity.profile.schemas import PasswordChange
from identity.runtime import IdentityRuntime
from identity.sessions import service as sessions_service
from identity.sessions.repository import RefreshTokenRepository
from identity.users import service as users_service


async def change_password(
    uow: UnitOfWork,
    runtime: IdentityRuntime,
    company_id: UUID,
    user_id: UUID,
    change: PasswordChange,
    refresh_token: str | None,
) -> None:
    """Set a new password; every other session of the user ends (the one making the call, known
    by its refresh cookie, stays signed in)."""
    user = await users_service.load(uow, company_id, user_id, for_update=True)
    if not await runtime.passwords.verify(user.password_hash, change.current_password):
        message = "The current password is not right."
        raise ValidationProblem(
            message, errors=[{"loc": ["body", "current_password"], "msg": message, "type": "wrong_password"}]
        )
    if change.new_password.strip().lower() == user.email.lower():
        message = "The password must not be the email address."
        raise ValidationProblem(
            message, errors=[{"loc": ["body", "new_password"], "msg": message, "type": "weak"}]
        )
    keep = await sessions_service.family_of(uow, company_id, user_id, refresh_token)
    user.password_hash = await runtime.passwords.hash(change.new_password)
    await RefreshTokenRepository(uow.session, company_id).revoke_user_sessions(user_id, except_family=keep)
    await PasswordResetRepository(uow.session, company_id).spend_all(user_id)
