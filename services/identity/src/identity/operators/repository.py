"""SQL for platform operators (a table outside any company)."""

from uuid import UUID

from sqlalchemy import func, select

from common.repository import SystemRepository
from identity.models import Operator


class OperatorRepository(SystemRepository):
    def add(self, operator: Operator) -> None:
        self.session.add(operator)

    async def find_by_email(self, email_lower: str) -> Operator | None:
        return await self.session.scalar(select(Operator).where(func.lower(Operator.email) == email_lower))

    async def get(self, operator_id: UUID) -> Operator | None:
        return await self.session.scalar(select(Operator).where(Operator.id == operator_id))
