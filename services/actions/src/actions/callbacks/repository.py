from datetime import datetime
from uuid import UUID

from sqlalchemy import func, update
from sqlalchemy.dialects.postgresql import insert

from actions.models import Callback
from common.repository import CompanyRepository
from contracts.engine import ActionRequested


class CallbackRepository(CompanyRepository[Callback]):
    model = Callback

    async def open_for_request(self, request: ActionRequested, expires_at: datetime) -> Callback:
        """The callback of a request, created the first time; a redelivered request gets the
        same one (and so the same URL)."""
        await self.session.execute(
            insert(Callback)
            .values(
                company_id=self.company_id,
                request_id=request.request_id,
                workflow_instance_id=request.workflow_instance_id,
                task_instance_id=request.task_instance_id,
                attempt=request.attempt,
                output_transform=request.output_transform,
                expires_at=expires_at,
            )
            .on_conflict_do_nothing(index_elements=[Callback.company_id, Callback.request_id])
        )
        return (await self.session.scalars(self.select(Callback.request_id == request.request_id))).one()

    async def lock(self, callback_id: UUID) -> Callback | None:
        stmt = (
            self.select(Callback.id == callback_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).one_or_none()

    async def mark_used(self, callback_id: UUID) -> None:
        await self.session.execute(
            update(Callback)
            .where(self.owned(), Callback.id == callback_id, Callback.used_at.is_(None))
            .values(used_at=func.now())
        )
