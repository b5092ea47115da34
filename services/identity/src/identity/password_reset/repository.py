from datetime import datetime
from uuid import UUID

from sqlalchemy import func, update

from common.repository import CompanyRepository
from identity.models import PasswordResetToken


class PasswordResetRepository(CompanyRepository[PasswordResetToken]):
    model = PasswordResetToken

    def add(self, token: PasswordResetToken) -> None:
        self.session.add(token)

    async def find_token(self, token_hash: str) -> PasswordResetToken | None:
        return await self.find(PasswordResetToken.token_hash == token_hash, for_update=True)

    async def spend_all(self, user_id: UUID, at: datetime | None = None) -> None:
        """Every outstanding link of the user stops working (the password just changed)."""
        await self.session.execute(
            update(PasswordResetToken)
            .where(
                self.owned(),
                PasswordResetToken.user_id == user_id,
                PasswordResetToken.used_at.is_(None),
            )
            .values(used_at=at if at is not None else func.now())
        )
