"""The engine's own copy of the published definitions (event-carried state), and the plan of a
workflow version as the runtime reads it.

A published version never changes, so its plan (the parsed tasks and transitions, and the
compiled conditions) is built once per process and kept in `PLANS`, keyed by company and
definition version; every step of every instance of that version reuses it.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from uuid import UUID

from cachetools import LRUCache

from common import expressions
from common.expressions import CompiledExpression
from contracts.definitions import (
    TaskDefinitionSpec,
    TicketDefinitionPublished,
    TransitionSpec,
    WorkflowDefinitionArchived,
    WorkflowDefinitionPublished,
)
from engine.definitions.repository import DefinitionRepository
from engine.models import WorkflowDefinition
from engine.workflows.transitions import Transition, in_priority_order


@dataclass(frozen=True)
class WorkflowPlan:
    definition_id: UUID
    key: str
    version: int
    start_task: str
    tasks: dict[str, TaskDefinitionSpec]
    transitions: list[Transition]
    # Each task's outgoing transitions in the order they are tried.
    outgoing: dict[str, list[Transition]] = field(default_factory=dict)
    _conditions: dict[str, CompiledExpression] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, definition: WorkflowDefinition) -> "WorkflowPlan":
        tasks = [TaskDefinitionSpec.model_validate(t) for t in definition.tasks]
        specs = [TransitionSpec.model_validate(raw) for raw in definition.transitions]
        # Definition order is `position`, then the order of the list when positions tie.
        ranked = sorted(range(len(specs)), key=lambda i: (specs[i].position, i))
        transitions = [
            Transition(
                specs[i].from_task,
                specs[i].to_task,
                specs[i].condition,
                specs[i].priority,
                rank,
                specs[i].outcome,
            )
            for rank, i in enumerate(ranked)
        ]
        return cls(
            definition.id,
            definition.key,
            definition.version,
            definition.start_task,
            {t.key: t for t in tasks},
            transitions,
            {t.key: in_priority_order([x for x in transitions if x.from_task == t.key]) for t in tasks},
        )

    def entry_names_outcome(self, task_key: str) -> bool:
        """Whether a transition into the task names an outcome (only then does the way the
        instance came to it decide how the workflow ends there)."""
        return any(t.to_task == task_key and t.outcome is not None for t in self.transitions)

    def needs_expressions(self, task_key: str) -> bool:
        """Whether leaving the task evaluates a condition (otherwise it is decided inline)."""
        return any(t.condition is not None and t.condition.strip() for t in self.outgoing.get(task_key, ()))

    def condition(self, expression: str) -> CompiledExpression:
        """The compiled condition; compiled on first use, so a condition that does not parse
        fails the decision that uses it (an incident), not the plan."""
        compiled = self._conditions.get(expression)
        if compiled is None:
            compiled = self._conditions[expression] = expressions.compile(expression)
        return compiled

    def task(self, key: str) -> TaskDefinitionSpec:
        try:
            return self.tasks[key]
        except KeyError:
            raise KeyError(f"workflow {self.key} v{self.version} has no task '{key}'") from None


@dataclass(frozen=True)
class TicketPin:
    """The workflow version a ticket definition version starts: None for the latest."""

    workflow_version: int | None


class PlanCache:
    """Plans by (company, definition id), least recently used dropped past `size`, and the pins
    of the ticket definition versions held (a published version never changes either). Shared
    by the consumer, the API and the timer worker of the process (hence the lock)."""

    def __init__(self, size: int = 1024) -> None:
        self.size = size
        self._plans: OrderedDict[tuple[UUID, UUID], WorkflowPlan] = OrderedDict()
        self._versions: dict[tuple[UUID, str, int], UUID] = {}
        self._pins: LRUCache[tuple[UUID, str, int], TicketPin] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def pin(self, company_id: UUID, key: str, version: int) -> TicketPin | None:
        with self._lock:
            return self._pins.get((company_id, key, version))

    def put_pin(self, company_id: UUID, key: str, version: int, pin: TicketPin) -> TicketPin:
        with self._lock:
            self._pins[(company_id, key, version)] = pin
            return pin

    def get(self, company_id: UUID, definition_id: UUID) -> WorkflowPlan | None:
        with self._lock:
            plan = self._plans.get((company_id, definition_id))
            if plan is not None:
                self._plans.move_to_end((company_id, definition_id))
            return plan

    def get_version(self, company_id: UUID, key: str, version: int) -> WorkflowPlan | None:
        with self._lock:
            definition_id = self._versions.get((company_id, key, version))
        return self.get(company_id, definition_id) if definition_id is not None else None

    def put(self, company_id: UUID, plan: WorkflowPlan) -> WorkflowPlan:
        with self._lock:
            self._plans[(company_id, plan.definition_id)] = plan
            self._plans.move_to_end((company_id, plan.definition_id))
            self._versions[(company_id, plan.key, plan.version)] = plan.definition_id
            while len(self._plans) > self.size:
                (old_company, _), old = self._plans.popitem(last=False)
                self._versions.pop((old_company, old.key, old.version), None)
            return plan

    def clear(self) -> None:
        with self._lock:
            self._plans.clear()
            self._versions.clear()
            self._pins.clear()


PLANS = PlanCache()


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
