"""Workloads the benchmarks and the fault suites share."""

from typing import Any

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
