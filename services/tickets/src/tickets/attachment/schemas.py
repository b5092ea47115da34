from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class AttachmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: UUID
    ticket_id: UUID
    task_instance_id: UUID | None
    filename: str
    version: int
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: UUID | None
    created_at: datetime
