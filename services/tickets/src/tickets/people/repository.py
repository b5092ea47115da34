from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.models import Person


class PeopleRepository:
    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        self.session = session
        self.company_id = company_id

    async def put(self, user_id: UUID, *, display_name: str, email: str, changed_at: datetime) -> None:
        """Insert or update the person, unless what is stored is newer (a replayed event)."""
        statement = insert(Person).values(
            company_id=self.company_id,
            user_id=user_id,
            display_name=display_name,
            email=email,
            changed_at=changed_at,
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[Person.company_id, Person.user_id],
                set_={
                    "display_name": statement.excluded.display_name,
                    "email": statement.excluded.email,
                    "changed_at": statement.excluded.changed_at,
                },
                where=Person.changed_at <= statement.excluded.changed_at,
            )
        )

    async def names(self, user_ids: Iterable[UUID | None]) -> dict[UUID, str]:
        wanted = {user_id for user_id in user_ids if user_id is not None}
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(Person.user_id, Person.display_name).where(
                Person.company_id == self.company_id, Person.user_id.in_(wanted)
            )
        )
        return {user_id: name for user_id, name in rows}
