from typing import Any, Literal

from pydantic import BaseModel, Field


class ValueChange(BaseModel):
    """One value that differs: `path` is dotted from the item (`output_schema.properties.ok`);
    `before` is absent (null, `added`) for a new value and `after` for a removed one."""

    path: str
    change: Literal["added", "removed", "changed"]
    before: Any = None
    after: Any = None


class ItemRef(BaseModel):
    key: str = Field(description="the task key, the field name, or `from → to` for a transition")
    label: str


class ItemChange(ItemRef):
    changes: list[ValueChange]


class ItemsDiff(BaseModel):
    added: list[ItemRef]
    removed: list[ItemRef]
    changed: list[ItemChange]


class WorkflowDiff(BaseModel):
    key: str
    from_version: int
    to_version: int
    identical: bool
    properties: list[ValueChange] = Field(description="name, description, start task, layout")
    tasks: ItemsDiff
    transitions: ItemsDiff


class TicketTypeDiff(BaseModel):
    key: str
    from_version: int
    to_version: int
    identical: bool
    properties: list[ValueChange] = Field(
        description="name, description, prefix, workflow, company roles, layouts, required fields"
    )
    fields: ItemsDiff = Field(description="the properties of the field schema, by name")
