from datetime import datetime

from pydantic import BaseModel, Field


class SigningSecretRead(BaseModel):
    """The key receivers verify `webhook-signature` with (Standard Webhooks)."""

    secret: str = Field(description="`whsec_` + base64 key; HMAC-SHA256 over `id.timestamp.body`")
    previous_secret: str | None = Field(
        None, description="still signed with, next to the new one, until `previous_valid_until`"
    )
    previous_valid_until: datetime | None = None
    rotated_at: datetime
    signature_headers: list[str] = ["webhook-id", "webhook-timestamp", "webhook-signature"]
