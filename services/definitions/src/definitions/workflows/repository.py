from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.base import ExecutableOption

from definitions.models import TaskDefinition, Workflow, WorkflowDefinition
from definitions.search import like_pattern
from definitions.versioning import VersionedRepository


class WorkflowRepository(VersionedRepository[Workflow, WorkflowDefinition]):
    model = Workflow
    version_model = WorkflowDefinition
    head_id = "workflow_id"

    def version_options(self) -> Sequence[ExecutableOption]:
        return (selectinload(WorkflowDefinition.tasks), selectinload(WorkflowDefinition.transitions))

    async def search_tasks(
        self, query: str | None, task_type: str | None, workflow_key: str | None, offset: int, limit: int
    ) -> tuple[list[tuple[TaskDefinition, WorkflowDefinition]], int]:
        """Tasks of the latest version of every workflow that is not archived."""
        conditions = [self.owned()]
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
        stmt = (
            select(TaskDefinition, WorkflowDefinition)
            .join(
                WorkflowDefinition,
                (WorkflowDefinition.company_id == TaskDefinition.company_id)
                & (WorkflowDefinition.id == TaskDefinition.workflow_definition_id),
            )
            .join(Workflow, self.latest_of_head())
            .where(*conditions)
            .order_by(TaskDefinition.name, WorkflowDefinition.key, TaskDefinition.key)
        )
        return await self.paged_rows(stmt, offset=offset, limit=limit)
