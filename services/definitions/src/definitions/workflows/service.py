"""Workflow definitions: reading versions, publishing a new one, archiving, graph data."""

from common.db import UnitOfWork
from common.errors import Conflict
from common.web import Page, PageParams
from contracts import definitions as events
from definitions.bundles.schemas import PublishedVersion, WorkflowSpec
from definitions.models import TaskDefinition, Workflow, WorkflowDefinition, WorkflowTransition
from definitions.ticket_types.repository import TicketTypeRepository
from definitions.versioning import VersionedDefinitions
from definitions.workflow_walk import WalkTask, WalkTransition, outgoing_in_order
from definitions.workflows.repository import WorkflowRepository
from definitions.workflows.schemas import (
    GraphEdge,
    GraphNode,
    TaskSummary,
    WorkflowGraph,
    WorkflowRead,
    WorkflowSummary,
    WorkflowVersionRead,
    WorkflowVersionSummary,
)


async def no_ticket_type_starts(uow: UnitOfWork, head: Workflow) -> None:
    """Archived workflows start nothing new (instances already running keep their version), so
    one is archived only once no active ticket type starts it."""
    users = await TicketTypeRepository.of(uow).active_keys_using(head.key)
    if users:
        raise Conflict(
            f"Ticket types {', '.join(users)} still start workflow {head.key!r}; archive them first.",
            extra={"ticket_types": list(users)},
        )


definitions = VersionedDefinitions(
    kind="workflow",
    repository=WorkflowRepository,
    summary=WorkflowSummary,
    read=WorkflowRead,
    version_summary=WorkflowVersionSummary,
    version_read=WorkflowVersionRead,
    archived_event=lambda key: events.WorkflowDefinitionArchived(key=key),
    before_archive=no_ticket_type_starts,
)


def workflow_spec(definition: WorkflowDefinition) -> WorkflowSpec:
    """The bundle form of a stored version: what was published, nothing added."""
    return WorkflowSpec.model_validate(definition, from_attributes=True)


async def publish_version(
    uow: UnitOfWork, head: Workflow, spec: WorkflowSpec, version: int
) -> WorkflowDefinition:
    """Write `spec` as version `version` of `head` and raise its published event."""
    assert uow.company_id is not None
    company_id = uow.company_id
    definition = WorkflowDefinition(
        company_id=company_id,
        workflow_id=head.id,
        key=spec.key,
        version=version,
        name=spec.name,
        description=spec.description,
        start_task=spec.start_task,
        display_layout=spec.display_layout,
        created_by=uow.actor.id,
        tasks=[
            TaskDefinition(
                company_id=company_id,
                position=position,
                **task.model_dump(mode="json"),
            )
            for position, task in enumerate(spec.tasks)
        ],
        transitions=[
            WorkflowTransition(
                company_id=company_id,
                position=position,
                from_task=t.from_task,
                to_task=t.to_task,
                condition=t.condition,
                priority=t.priority,
                outcome=t.outcome.model_dump(mode="json") if t.outcome else None,
            )
            for position, t in enumerate(spec.transitions)
        ],
    )
    await WorkflowRepository.of(uow).add_version(head, definition, version)
    await uow.publish(
        events.WorkflowDefinitionPublished(
            workflow_definition_id=definition.id,
            key=spec.key,
            version=version,
            name=spec.name,
            description=spec.description,
            start_task=spec.start_task,
            tasks=[events.TaskDefinitionSpec.model_validate(t.model_dump(mode="json")) for t in spec.tasks],
            transitions=[
                events.TransitionSpec(
                    from_task=t.from_task,
                    to_task=t.to_task,
                    condition=t.condition,
                    priority=t.priority,
                    position=position,
                    outcome=events.OutcomeSpec.model_validate(t.outcome.model_dump()) if t.outcome else None,
                )
                for position, t in enumerate(spec.transitions)
            ],
        )
    )
    return definition


async def publish(
    uow: UnitOfWork, head: Workflow, latest: WorkflowDefinition | None, spec: WorkflowSpec
) -> PublishedVersion:
    """Version N+1 when `spec` differs from the latest (or the key is archived); otherwise the
    latest stands and nothing is written."""
    if latest is not None and head.deleted_at is None and workflow_spec(latest) == spec:
        return PublishedVersion(key=spec.key, version=latest.version, created=False)
    version = head.latest_version + 1
    await publish_version(uow, head, spec, version)
    return PublishedVersion(key=spec.key, version=version, created=True)


async def get_version(uow: UnitOfWork, key: str, version: int | None = None) -> WorkflowDefinition:
    return await definitions.get_version(uow, key, version)


async def graph(uow: UnitOfWork, key: str, version: int | None) -> WorkflowGraph:
    definition = await get_version(uow, key, version)
    walk_transitions = [
        WalkTransition(t.from_task, t.to_task, t.condition, t.priority, t.position)
        for t in definition.transitions
    ]
    by_position = {t.position: t for t in definition.transitions}
    edges: list[GraphEdge] = []
    for task in definition.tasks:
        for order, walk_t in enumerate(outgoing_in_order(walk_transitions, task.key)):
            stored = by_position[walk_t.position]
            edges.append(
                GraphEdge(
                    id=stored.id,
                    from_task=stored.from_task,
                    to_task=stored.to_task,
                    condition=stored.condition,
                    priority=stored.priority,
                    order=order,
                    outcome_label=stored.outcome["label"] if stored.outcome else None,
                )
            )
    sources = {t.from_task for t in definition.transitions}
    return WorkflowGraph(
        key=definition.key,
        version=definition.version,
        display_layout=definition.display_layout,
        nodes=[
            GraphNode(
                id=task.key,
                name=task.name,
                task_type=task.task_type,
                is_start=task.key == definition.start_task,
                is_end=task.key not in sources,
                outcome_label=task.outcome["label"] if task.outcome else None,
            )
            for task in definition.tasks
        ],
        edges=edges,
    )


def walk_parts(definition: WorkflowDefinition) -> tuple[list[WalkTask], list[WalkTransition]]:
    return (
        [WalkTask(t.key, t.name, t.task_type) for t in definition.tasks],
        [
            WalkTransition(t.from_task, t.to_task, t.condition, t.priority, t.position)
            for t in definition.transitions
        ],
    )


async def list_tasks(
    uow: UnitOfWork, query: str | None, task_type: str | None, workflow_key: str | None, page: PageParams
) -> Page[TaskSummary]:
    rows, total = await WorkflowRepository.of(uow).search_tasks(
        query, task_type, workflow_key, page.offset, page.page_size
    )
    return Page(
        items=[
            TaskSummary(
                id=task.id,
                key=task.key,
                name=task.name,
                description=task.description,
                task_type=task.task_type,
                workflow_key=workflow.key,
                workflow_version=workflow.version,
                workflow_name=workflow.name,
            )
            for task, workflow in rows
        ],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )
