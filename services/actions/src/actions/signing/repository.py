from datetime import datetime

from sqlalchemy.dialects.postgresql import insert

from actions.models import CompanySecret
from common.repository import CompanyRepository


class SigningSecretRepository(CompanyRepository[CompanySecret]):
    """The company's secret that outbound calls are signed with."""

    model = CompanySecret

    async def get(self, *, for_update: bool = False) -> CompanySecret | None:
        return await self.find(for_update=for_update)

    async def insert_if_missing(self, secret: str) -> None:
        """Concurrent first uses agree on one secret: the loser's insert does nothing."""
        await self.session.execute(
            insert(CompanySecret)
            .values(company_id=self.company_id, secret=secret)
            .on_conflict_do_nothing(index_elements=[CompanySecret.company_id])
        )

    async def replace(self, row: CompanySecret, secret: str, previous_valid_until: datetime) -> CompanySecret:
        row.previous_secret = row.secret
        row.previous_valid_until = previous_valid_until
        row.secret = secret
        await self.session.flush()
        await self.session.refresh(row)
        return row
