from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from tickets.models import CompanyStanding


class CompanyStandingRepository(CompanyRepository[CompanyStanding]):
    model = CompanyStanding

    async def put(self, *, status: str, changed_at: datetime) -> None:
        """Record the company's status, unless what is stored is newer (a replayed event)."""
        statement = insert(CompanyStanding).values(
            company_id=self.company_id, status=status, changed_at=changed_at
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[CompanyStanding.company_id],
                set_={"status": statement.excluded.status, "changed_at": statement.excluded.changed_at},
                where=CompanyStanding.changed_at <= statement.excluded.changed_at,
            )
        )

    async def status(self) -> str | None:
        """The company's last known status; None when identity never changed it."""
        status: str | None = await self.session.scalar(select(CompanyStanding.status).where(self.owned()))
        return status
