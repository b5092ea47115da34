"""Workloads the benchmarks and the fault suites share."""

from typing import Any

from contracts.definitions import TaskDefinitionSpec, TransitionSpec, WorkflowDefinitionPublished
from contracts.ids import uuid7

STEPS = ("a", "b", "c")


def three_step_bundle(endpoint_url: str, key: str, name: str, prefix: str) -> dict[str, Any]:
    """A ticket type `key` whose workflow is three SYNC_ACTION steps (`a` → `b` → `c`), each
    POSTing `{"n": n, "step": s}` to `<endpoint_url>/step/<s>`, so every call names its ticket
    and step."""

    def step(step_key: str) -> dict[str, Any]:
        return {
            "key": step_key,
            "name": f"Step {step_key}",
            "task_type": "SYNC_ACTION",
            "action_url": f"{endpoint_url}/step/{step_key}",
            "timeout_seconds": 10,
            "max_retries": 5,
            "input_transform": f'{{"n": n, "step": "{step_key}"}}',
        }

    return {
        "workflow": {
            "key": key,
            "name": name,
            "start_task": STEPS[0],
            "tasks": [step(s) for s in STEPS],
            "transitions": [
                {"from": STEPS[i], "to": STEPS[i + 1], "condition": None, "priority": 0}
                for i in range(len(STEPS) - 1)
            ],
        },
        "ticket_types": [
            {
                "key": key,
                "name": name,
                "prefix": prefix,
                "fields": {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]},
                "company_role_access": ["user"],
            }
        ],
    }


def three_action_workflow(key: str, action_url: str) -> WorkflowDefinitionPublished:
    """The event of a workflow `key` published as three SYNC_ACTION steps (`step1` → `step2` →
    `step3`) calling `action_url`: what the engine benchmarks feed the engine directly."""
    return WorkflowDefinitionPublished(
        workflow_definition_id=uuid7(),
        key=key,
        version=1,
        name="bench",
        start_task="step1",
        tasks=[
            TaskDefinitionSpec(
                key=f"step{i}",
                name=f"Step {i}",
                task_type="SYNC_ACTION",
                action_url=action_url,
                timeout_seconds=10,
            )
            for i in range(1, 4)
        ],
        transitions=[
            TransitionSpec(from_task="step1", to_task="step2"),
            TransitionSpec(from_task="step2", to_task="step3"),
        ],
    )
