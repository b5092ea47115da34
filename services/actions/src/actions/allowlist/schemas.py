from datetime import datetime
from enum import StrEnum
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator

from actions.runner.guard import classify_entry


class AllowlistKind(StrEnum):
    CIDR = "cidr"
    HOST = "host"


class AllowlistEntryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entry: str = Field(
        min_length=1,
        max_length=255,
        description="a CIDR block (`10.1.0.0/16`, `fd00::/8`, a single address) or a host name",
    )
    note: str = Field("", max_length=300)

    @field_validator("entry")
    @classmethod
    def _entry(cls, value: str) -> str:
        return classify_entry(value)[1]


class AllowlistEntryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    entry: str
    kind: AllowlistKind
    note: str
    created_at: datetime
