from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from contracts.ids import uuid7
from definitions.models import TaskDefinition, Workflow, WorkflowDefinition
from definitions.search import like_pattern


class WorkflowRepository:
    def __init__(self, session: AsyncSession, company_id: UUID) -> None:
        self.session = session
        self.company_id = company_id

    async def get_head(self, key: str) -> Workflow | None:
        return await self.session.scalar(
            select(Workflow).where(Workflow.company_id == self.company_id, Workflow.key == key)
        )

    async def lock_head(self, key: str) -> Workflow:
        """The head of `key`, created if new, locked until the transaction ends so two
        publishes of the same key number their versions one after the other."""
        await self.session.execute(
            insert(Workflow)
            .values(company_id=self.company_id, id=uuid7(), key=key, latest_version=0)
            .on_conflict_do_nothing(index_elements=[Workflow.company_id, Workflow.key])
        )
        head = await self.session.scalar(
            select(Workflow)
            .where(Workflow.company_id == self.company_id, Workflow.key == key)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        assert head is not None
        return head

    async def get_version(self, key: str, version: int) -> WorkflowDefinition | None:
        return await self.session.scalar(
            select(WorkflowDefinition)
            .where(
                WorkflowDefinition.company_id == self.company_id,
                WorkflowDefinition.key == key,
                WorkflowDefinition.version == version,
            )
            .options(selectinload(WorkflowDefinition.tasks), selectinload(WorkflowDefinition.transitions))
        )

    async def list_versions(self, key: str) -> Sequence[WorkflowDefinition]:
        result = await self.session.scalars(
            select(WorkflowDefinition)
            .where(WorkflowDefinition.company_id == self.company_id, WorkflowDefinition.key == key)
            .order_by(WorkflowDefinition.version.desc())
        )
        return result.all()

    async def add_version(self, definition: WorkflowDefinition) -> None:
        self.session.add(definition)
        await self.session.flush()

    async def search(
        self, query: str | None, archived: bool, offset: int, limit: int
    ) -> tuple[Sequence[tuple[Workflow, WorkflowDefinition]], int]:
        latest = (
            (WorkflowDefinition.company_id == Workflow.company_id)
            & (WorkflowDefinition.workflow_id == Workflow.id)
            & (WorkflowDefinition.version == Workflow.latest_version)
        )
        conditions = [
            Workflow.company_id == self.company_id,
            Workflow.deleted_at.is_not(None) if archived else Workflow.deleted_at.is_(None),
        ]
        if query:
            pattern = like_pattern(query)
            conditions.append(
                or_(
                    Workflow.key.ilike(pattern, escape="\\"),
                    WorkflowDefinition.name.ilike(pattern, escape="\\"),
                )
            )
        base = select(Workflow, WorkflowDefinition).join(WorkflowDefinition, latest).where(*conditions)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.execute(
            base.order_by(WorkflowDefinition.name, Workflow.key).offset(offset).limit(limit)
        )
        return [(row[0], row[1]) for row in rows.all()], int(total or 0)

    async def search_tasks(
        self, query: str | None, task_type: str | None, workflow_key: str | None, offset: int, limit: int
    ) -> tuple[Sequence[tuple[TaskDefinition, WorkflowDefinition]], int]:
        """Tasks of the latest version of every workflow that is not archived."""
        conditions = [
            Workflow.company_id == self.company_id,
            Workflow.deleted_at.is_(None),
        ]
        if query:
            pattern = like_pattern(query)
            conditions.append(
                or_(
                    TaskDefinition.key.ilike(pattern, escape="\\"),
                    TaskDefinition.name.ilike(pattern, escape="\\"),
                )
            )
        if task_type:
            conditions.append(TaskDefinition.task_type == task_type)
        if workflow_key:
            conditions.append(Workflow.key == workflow_key)
        base = (
            select(TaskDefinition, WorkflowDefinition)
            .join(
                WorkflowDefinition,
                (WorkflowDefinition.company_id == TaskDefinition.company_id)
                & (WorkflowDefinition.id == TaskDefinition.workflow_definition_id),
            )
            .join(
                Workflow,
                (Workflow.company_id == WorkflowDefinition.company_id)
                & (Workflow.id == WorkflowDefinition.workflow_id)
                & (Workflow.latest_version == WorkflowDefinition.version),
            )
            .where(*conditions)
        )
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.execute(
            base.order_by(TaskDefinition.name, WorkflowDefinition.key, TaskDefinition.key)
            .offset(offset)
            .limit(limit)
        )
        return [(row[0], row[1]) for row in rows.all()], int(total or 0)
