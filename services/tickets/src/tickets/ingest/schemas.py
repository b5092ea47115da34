from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field


class IngestKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class IngestKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    name: str
    generation: int
    secret_fingerprint: str
    previous_valid_until: datetime | None
    created_by: UUID | None
    created_at: datetime
    rotated_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class IngestKeySecret(IngestKeyRead):
    """Returned once, on create and rotate: the secret is not kept and cannot be shown again."""

    secret: str
    signature_header: str = "x-tf-signature"
    key_id_header: str = "x-tf-key-id"


class RejectionReason(StrEnum):
    MALFORMED_BODY = "malformed_body"
    MISSING_KEY = "missing_key"
    UNKNOWN_KEY = "unknown_key"
    REVOKED_KEY = "revoked_key"
    COMPANY_SUSPENDED = "company_suspended"
    INVALID_SIGNATURE = "invalid_signature"
    UNKNOWN_TICKET_TYPE = "unknown_ticket_type"
    INVALID_TICKET_DATA = "invalid_ticket_data"
    PROCESSING_FAILED = "processing_failed"


class InboundRejectionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    sender_event_id: str | None
    key_id: str | None
    reason: RejectionReason
    detail: str
    errors: list[dict[str, Any]] | None
    body_excerpt: str
    source_position: str
    received_at: datetime
