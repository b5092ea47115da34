"""The kinds of incident a workflow instance can raise. The statuses of workflow and task
instances are the events' vocabulary, `contracts.engine.WorkflowStatus` and `TaskStatus`."""

from enum import StrEnum


class IncidentKind(StrEnum):
    ACTION_FAILED = "action_failed"
    TIMEOUT = "timeout"
    TRANSITION = "transition"
