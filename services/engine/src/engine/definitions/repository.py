from uuid import UUID

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from engine.models import TicketDefinition, WorkflowDefinition


class DefinitionRepository(CompanyRepository[WorkflowDefinition]):
    """The engine's copy of published workflow and ticket definitions (from `definitions.events`)."""

    model = WorkflowDefinition

    async def add_workflow_if_new(self, values: dict[str, object]) -> None:
        # Published versions never change: a redelivered or replayed event leaves the copy as is.
        await self.session.execute(
            insert(WorkflowDefinition)
            .values(company_id=self.company_id, **values)
            .on_conflict_do_nothing(index_elements=["company_id", "key", "version"])
        )

    async def archive_workflow(self, key: str) -> None:
        await self.session.execute(
            update(WorkflowDefinition)
            .where(self.owned(), WorkflowDefinition.key == key)
            .values(archived=True)
        )

    async def workflow(self, key: str, version: int | None) -> WorkflowDefinition | None:
        query = self.select(WorkflowDefinition.key == key)
        if version is not None:
            query = query.where(WorkflowDefinition.version == version)
        return await self.session.scalar(query.order_by(WorkflowDefinition.version.desc()).limit(1))

    async def latest_workflow_version(self, key: str) -> int | None:
        """The newest version of the workflow held, without reading the definition (whose plan
        the process usually has already)."""
        return await self.session.scalar(
            select(func.max(WorkflowDefinition.version)).where(self.owned(), WorkflowDefinition.key == key)
        )

    async def workflow_by_id(self, definition_id: UUID) -> WorkflowDefinition | None:
        return await self.find(WorkflowDefinition.id == definition_id)

    async def put_ticket_definition(
        self, key: str, version: int, workflow_key: str, workflow_version: int | None
    ) -> None:
        await self.session.execute(
            insert(TicketDefinition)
            .values(
                company_id=self.company_id,
                key=key,
                version=version,
                workflow_key=workflow_key,
                workflow_version=workflow_version,
            )
            .on_conflict_do_nothing(index_elements=["company_id", "key", "version"])
        )

    async def ticket_definition(self, key: str, version: int) -> TicketDefinition | None:
        return await self.session.scalar(
            select(TicketDefinition).where(
                self.owned(TicketDefinition),
                TicketDefinition.key == key,
                TicketDefinition.version == version,
            )
        )
