"""SQL for refresh tokens and the login-attempt ledger."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, text, update

from common.repository import CompanyRepository, SystemRepository
from identity.models import LoginAttempt, RefreshToken


class RefreshTokenRepository(CompanyRepository[RefreshToken]):
    model = RefreshToken

    def add(self, token: RefreshToken) -> None:
        self.session.add(token)

    async def find_token(self, token_hash: str) -> RefreshToken | None:
        return await self.find(RefreshToken.token_hash == token_hash, for_update=True)

    async def revoke_family(self, family_id: UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(self.owned(), RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_user_sessions(self, user_id: UUID, *, except_family: UUID | None) -> None:
        stmt = update(RefreshToken).where(
            self.owned(), RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)
        )
        if except_family is not None:
            stmt = stmt.where(RefreshToken.family_id != except_family)
        await self.session.execute(stmt.values(revoked_at=func.now()))


class LoginAttemptRepository(SystemRepository):
    """The login-attempt ledger, keyed by account and address before any company is known."""

    async def lock_attempt_key(self, key: str) -> None:
        """Serialise logins of one account, so concurrent guesses cannot all pass the count."""
        await self.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})

    async def attempts_since(
        self, key: str, since: datetime, *, failed_only: bool
    ) -> tuple[int, datetime | None]:
        """How many attempts under `key` since `since`, and when the oldest of them was."""
        stmt = select(func.count(), func.min(LoginAttempt.attempted_at)).where(
            LoginAttempt.key == key, LoginAttempt.attempted_at > since
        )
        if failed_only:
            stmt = stmt.where(LoginAttempt.succeeded.is_(False))
        count, oldest = (await self.session.execute(stmt)).one()
        return int(count), oldest

    async def record_attempts(self, keys: list[str], *, succeeded: bool) -> None:
        self.session.add_all([LoginAttempt(key=key, succeeded=succeeded) for key in keys])
        await self.session.flush()

    async def purge_attempts_before(self, before: datetime) -> int:
        result = await self.session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
        return int(getattr(result, "rowcount", 0) or 0)
