"""SQL for refresh tokens and the login-attempt ledger."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import LoginAttempt, RefreshToken


def add_refresh_token(session: AsyncSession, token: RefreshToken) -> None:
    session.add(token)


async def find_refresh_token(session: AsyncSession, company_id: UUID, token_hash: str) -> RefreshToken | None:
    return (
        await session.scalars(
            select(RefreshToken)
            .where(RefreshToken.company_id == company_id, RefreshToken.token_hash == token_hash)
            .with_for_update()
        )
    ).one_or_none()


async def revoke_family(session: AsyncSession, company_id: UUID, family_id: UUID, at: datetime) -> None:
    await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.company_id == company_id,
            RefreshToken.family_id == family_id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=at)
    )


async def revoke_user_sessions(
    session: AsyncSession, company_id: UUID, user_id: UUID, *, except_family: UUID | None
) -> None:
    stmt = update(RefreshToken).where(
        RefreshToken.company_id == company_id,
        RefreshToken.user_id == user_id,
        RefreshToken.revoked_at.is_(None),
    )
    if except_family is not None:
        stmt = stmt.where(RefreshToken.family_id != except_family)
    await session.execute(stmt.values(revoked_at=func.now()))


async def lock_attempt_key(session: AsyncSession, key: str) -> None:
    """Serialise logins of one account, so concurrent guesses cannot all pass the count."""
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


async def attempts_since(
    session: AsyncSession, key: str, since: datetime, *, failed_only: bool
) -> tuple[int, datetime | None]:
    """How many attempts under `key` since `since`, and when the oldest of them was."""
    stmt = select(func.count(), func.min(LoginAttempt.attempted_at)).where(
        LoginAttempt.key == key, LoginAttempt.attempted_at > since
    )
    if failed_only:
        stmt = stmt.where(LoginAttempt.succeeded.is_(False))
    count, oldest = (await session.execute(stmt)).one()
    return int(count), oldest


async def record_attempts(session: AsyncSession, keys: list[str], *, succeeded: bool) -> None:
    session.add_all([LoginAttempt(key=key, succeeded=succeeded) for key in keys])
    await session.flush()


async def purge_attempts_before(session: AsyncSession, before: datetime) -> int:
    result = await session.execute(delete(LoginAttempt).where(LoginAttempt.attempted_at < before))
    return int(getattr(result, "rowcount", 0) or 0)
