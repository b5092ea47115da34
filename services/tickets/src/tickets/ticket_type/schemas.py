from typing import Any

from pydantic import BaseModel, ConfigDict


class TicketTypeRead(BaseModel):
    """A ticket type the caller may submit, with what a form needs to render it."""

    model_config = ConfigDict(from_attributes=True)

    key: str
    version: int
    name: str
    description: str
    prefix: str
    fields: dict[str, Any]
    edit_layout: dict[str, Any] | None
    display_layout: dict[str, Any] | None
