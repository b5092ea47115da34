from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel


class CallbackOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class CallbackAccepted(BaseModel):
    """The callback was taken; its result is on its way to the workflow."""

    request_id: UUID
    outcome: CallbackOutcome
    detail: str = ""
