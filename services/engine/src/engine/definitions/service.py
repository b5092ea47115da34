"""The engine's own copy of the published definitions (event-carried state), and the plan of a
workflow version as the runtime reads it."""

from dataclasses import dataclass
from uuid import UUID

from contracts.definitions import (
    TaskDefinitionSpec,
    TicketDefinitionPublished,
    TransitionSpec,
    WorkflowDefinitionArchived,
    WorkflowDefinitionPublished,
)
from engine.definitions.repository import DefinitionRepository
from engine.models import WorkflowDefinition
from engine.workflows.transitions import Transition


@dataclass(frozen=True)
class WorkflowPlan:
    definition_id: UUID
    key: str
    version: int
    start_task: str
    tasks: dict[str, TaskDefinitionSpec]
    transitions: list[Transition]

    @classmethod
    def of(cls, definition: WorkflowDefinition) -> "WorkflowPlan":
        tasks = [TaskDefinitionSpec.model_validate(t) for t in definition.tasks]
        specs = [TransitionSpec.model_validate(raw) for raw in definition.transitions]
        # Definition order is `position`, then the order of the list when positions tie.
        ranked = sorted(range(len(specs)), key=lambda i: (specs[i].position, i))
        transitions = [
            Transition(specs[i].from_task, specs[i].to_task, specs[i].condition, specs[i].priority, rank)
            for rank, i in enumerate(ranked)
        ]
        return cls(
            definition.id,
            definition.key,
            definition.version,
            definition.start_task,
            {t.key: t for t in tasks},
            transitions,
        )

    def task(self, key: str) -> TaskDefinitionSpec:
        try:
            return self.tasks[key]
        except KeyError:
            raise KeyError(f"workflow {self.key} v{self.version} has no task '{key}'") from None


async def store_workflow_definition(repo: DefinitionRepository, event: WorkflowDefinitionPublished) -> None:
    await repo.add_workflow_if_new(
        {
            "id": event.workflow_definition_id,
            "key": event.key,
            "version": event.version,
            "name": event.name,
            "start_task": event.start_task,
            "tasks": [t.model_dump(mode="json") for t in event.tasks],
            "transitions": [t.model_dump(mode="json") for t in event.transitions],
        }
    )


async def archive_workflow_definition(repo: DefinitionRepository, event: WorkflowDefinitionArchived) -> None:
    await repo.archive_workflow(event.key)


async def store_ticket_definition(repo: DefinitionRepository, event: TicketDefinitionPublished) -> None:
    await repo.put_ticket_definition(event.key, event.version, event.workflow_key, event.workflow_version)
