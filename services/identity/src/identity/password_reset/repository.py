from datetime import datetime
from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import PasswordResetToken


def add(session: AsyncSession, token: PasswordResetToken) -> None:
    session.add(token)


async def find(session: AsyncSession, company_id: UUID, token_hash: str) -> PasswordResetToken | None:
    return (
        await session.scalars(
            select(PasswordResetToken)
            .where(PasswordResetToken.company_id == company_id, PasswordResetToken.token_hash == token_hash)
            .with_for_update()
        )
    ).one_or_none()


async def spend_all(
    session: AsyncSession, company_id: UUID, user_id: UUID, at: datetime | None = None
) -> None:
    """Every outstanding link of the user stops working (the password just changed)."""
    await session.execute(
        update(PasswordResetToken)
        .where(
            PasswordResetToken.company_id == company_id,
            PasswordResetToken.user_id == user_id,
            PasswordResetToken.used_at.is_(None),
        )
        .values(used_at=at if at is not None else func.now())
    )
