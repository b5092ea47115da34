"""SQL of assignment rules, groups of workers, the assignment record and the queue view."""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from engine.models import (
    AssignmentRecord,
    AssignmentRuleRow,
    TaskInstance,
    Worker,
    WorkerGroup,
    WorkerGroupMember,
    WorkflowDefinition,
    WorkflowInstance,
)

# The company's own rule is the row whose workflow and task keys are both empty.
COMPANY_SCOPE = ("", "")


class AssignmentRepository(CompanyRepository[AssignmentRuleRow]):
    """The rules (its model), and the groups, the record and the queue view beside them."""

    model = AssignmentRuleRow

    # -- rules --------------------------------------------------------------------------------

    async def rules_for(self, workflow_key: str, task_key: str) -> dict[tuple[str, str], AssignmentRuleRow]:
        """The task definition's rule and the company's, in one statement (assignment reads
        them for every FORM task)."""
        rows = await self.session.scalars(
            select(AssignmentRuleRow).where(
                self.owned(),
                tuple_(AssignmentRuleRow.workflow_key, AssignmentRuleRow.task_key).in_(
                    [(workflow_key, task_key), COMPANY_SCOPE]
                ),
            )
        )
        return {(row.workflow_key, row.task_key): row for row in rows}

    async def rules(self) -> Sequence[AssignmentRuleRow]:
        return (
            await self.session.scalars(
                select(AssignmentRuleRow)
                .where(self.owned())
                .order_by(AssignmentRuleRow.workflow_key, AssignmentRuleRow.task_key)
            )
        ).all()

    async def put_rule(
        self, workflow_key: str, task_key: str, rule: dict[str, Any], updated_by: UUID | None
    ) -> AssignmentRuleRow:
        await self.session.execute(
            insert(AssignmentRuleRow)
            .values(
                company_id=self.company_id,
                workflow_key=workflow_key,
                task_key=task_key,
                rule=rule,
                updated_by=updated_by,
            )
            .on_conflict_do_update(
                index_elements=["company_id", "workflow_key", "task_key"],
                set_={"rule": rule, "updated_by": updated_by, "updated_at": func.now()},
            )
        )
        found = await self.session.scalar(
            select(AssignmentRuleRow)
            .where(
                self.owned(),
                AssignmentRuleRow.workflow_key == workflow_key,
                AssignmentRuleRow.task_key == task_key,
            )
            .execution_options(populate_existing=True)
        )
        assert found is not None
        return found

    async def delete_rule(self, workflow_key: str, task_key: str) -> bool:
        result = await self.session.execute(
            delete(AssignmentRuleRow)
            .where(
                self.owned(),
                AssignmentRuleRow.workflow_key == workflow_key,
                AssignmentRuleRow.task_key == task_key,
            )
            .returning(AssignmentRuleRow.task_key)
        )
        return result.first() is not None

    async def rules_naming_group(self, key: str) -> Sequence[AssignmentRuleRow]:
        return (
            await self.session.scalars(
                select(AssignmentRuleRow).where(
                    self.owned(),
                    AssignmentRuleRow.rule["strategy"].astext == "group",
                    AssignmentRuleRow.rule["group"].astext == key,
                )
            )
        ).all()

    async def current_workflows(self) -> Sequence[WorkflowDefinition]:
        """The latest version of every workflow that is not archived, by key."""
        latest = (
            select(WorkflowDefinition.key, func.max(WorkflowDefinition.version).label("version"))
            .where(self.owned(WorkflowDefinition))
            .group_by(WorkflowDefinition.key)
            .subquery()
        )
        return (
            await self.session.scalars(
                select(WorkflowDefinition)
                .join(
                    latest,
                    (latest.c.key == WorkflowDefinition.key)
                    & (latest.c.version == WorkflowDefinition.version),
                )
                .where(self.owned(WorkflowDefinition), WorkflowDefinition.archived.is_(False))
                .order_by(WorkflowDefinition.name, WorkflowDefinition.key)
            )
        ).all()

    async def latest_workflow(self, key: str) -> WorkflowDefinition | None:
        return await self.session.scalar(
            select(WorkflowDefinition)
            .where(self.owned(WorkflowDefinition), WorkflowDefinition.key == key)
            .order_by(WorkflowDefinition.version.desc())
            .limit(1)
        )

    # -- groups -------------------------------------------------------------------------------

    async def groups(self) -> Sequence[WorkerGroup]:
        return (
            await self.session.scalars(
                select(WorkerGroup).where(self.owned(WorkerGroup)).order_by(WorkerGroup.name, WorkerGroup.key)
            )
        ).all()

    async def group(self, group_id: UUID, *, for_update: bool = False) -> WorkerGroup | None:
        query = select(WorkerGroup).where(self.owned(WorkerGroup), WorkerGroup.id == group_id)
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def group_by_key(self, key: str) -> WorkerGroup | None:
        return await self.session.scalar(
            select(WorkerGroup).where(self.owned(WorkerGroup), WorkerGroup.key == key)
        )

    async def add_group(self, group: WorkerGroup) -> None:
        self.session.add(group)
        await self.session.flush()

    async def delete_group(self, group: WorkerGroup) -> None:
        await self.session.delete(group)
        await self.session.flush()

    async def members(self, group_ids: Sequence[UUID]) -> dict[UUID, list[Worker]]:
        """The members of each group, by name."""
        found: dict[UUID, list[Worker]] = {group_id: [] for group_id in group_ids}
        if not group_ids:
            return found
        rows = await self.session.execute(
            select(WorkerGroupMember.group_id, Worker)
            .join(
                Worker,
                (Worker.company_id == WorkerGroupMember.company_id)
                & (Worker.user_id == WorkerGroupMember.user_id),
            )
            .where(self.owned(WorkerGroupMember), WorkerGroupMember.group_id.in_(group_ids))
            .order_by(Worker.display_name, Worker.user_id)
        )
        for group_id, worker in rows:
            found[group_id].append(worker)
        return found

    async def set_members(self, group_id: UUID, user_ids: Sequence[UUID]) -> None:
        await self.session.execute(
            delete(WorkerGroupMember).where(
                self.owned(WorkerGroupMember), WorkerGroupMember.group_id == group_id
            )
        )
        if user_ids:
            await self.session.execute(
                insert(WorkerGroupMember).values(
                    [{"company_id": self.company_id, "group_id": group_id, "user_id": u} for u in user_ids]
                )
            )

    async def task_workers(self, user_ids: Sequence[UUID]) -> set[UUID]:
        """Which of `user_ids` are active task workers of the company."""
        if not user_ids:
            return set()
        rows = await self.session.scalars(
            select(Worker.user_id).where(
                self.owned(Worker),
                Worker.user_id.in_(user_ids),
                Worker.is_active.is_(True),
                Worker.is_task_worker.is_(True),
            )
        )
        return set(rows.all())

    # -- the record of assignments ----------------------------------------------------------

    async def records_of(self, task_id: UUID) -> Sequence[AssignmentRecord]:
        return (
            await self.session.scalars(
                select(AssignmentRecord)
                .where(
                    self.owned(AssignmentRecord),
                    AssignmentRecord.task_instance_id == task_id,
                )
                .order_by(AssignmentRecord.created_at, AssignmentRecord.id)
            )
        ).all()

    # -- the queue ------------------------------------------------------------------------------

    async def waiting_tasks(
        self, *, unassigned: bool, queued: bool, offset: int, limit: int
    ) -> tuple[list[tuple[TaskInstance, WorkflowInstance]], int]:
        """Open FORM tasks nobody works on yet, oldest first: unassigned ones (waiting in the
        company's queue) and queued ones (assigned, in a worker's queue, not started)."""
        states: list[ColumnElement[bool]] = []
        if unassigned:
            states.append((TaskInstance.status == "PENDING") & TaskInstance.assignee_id.is_(None))
        if queued:
            states.append(TaskInstance.status == "ASSIGNED")
        condition = or_(*states)
        query = (
            select(TaskInstance, WorkflowInstance)
            .join(
                WorkflowInstance,
                (WorkflowInstance.company_id == TaskInstance.company_id)
                & (WorkflowInstance.id == TaskInstance.workflow_instance_id),
            )
            .where(
                self.owned(TaskInstance),
                TaskInstance.task_type == "FORM",
                WorkflowInstance.status == "RUNNING",
                condition,
            )
        )
        return await self.paged_rows(
            query.order_by(TaskInstance.created_at, TaskInstance.id), offset=offset, limit=limit
        )
