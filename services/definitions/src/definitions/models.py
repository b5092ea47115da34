"""Tables of the `definitions` schema.

A definition key (`workflows`, `ticket_types`) is a mutable head: the latest version number
and whether it is archived. Each published version (`workflow_definitions` with its
`task_definitions` and `workflow_transitions`; `ticket_definitions`) is written once and never
changed. Every key includes `company_id` because foreign keys and unique constraints bypass
row-level security.
"""

from typing import Any
from uuid import UUID

from sqlalchemy import (
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from common.db import Timestamped, service_metadata
from common.repository import SoftDeletable
from contracts.ids import uuid7

metadata = service_metadata("definitions")


class Base(DeclarativeBase):
    metadata = metadata


class DefinitionHead(SoftDeletable):
    """What every definition head has (its columns are declared by each head's table):
    archiving it is a soft delete."""

    company_id: Mapped[UUID]
    id: Mapped[UUID]
    key: Mapped[str]
    latest_version: Mapped[int]


class Workflow(DefinitionHead, Timestamped, Base):
    __tablename__ = "workflows"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    latest_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class WorkflowDefinition(Timestamped, Base):
    __tablename__ = "workflow_definitions"
    __table_args__ = (
        UniqueConstraint("company_id", "key", "version"),
        ForeignKeyConstraint(
            ["company_id", "workflow_id"], ["workflows.company_id", "workflows.id"], ondelete="CASCADE"
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_id: Mapped[UUID] = mapped_column(nullable=False)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    start_task: Mapped[str] = mapped_column(String(100), nullable=False)
    display_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    created_by: Mapped[str | None] = mapped_column(String(100))

    tasks: Mapped[list["TaskDefinition"]] = relationship(
        lazy="raise", order_by="TaskDefinition.position", cascade="all, delete-orphan"
    )
    transitions: Mapped[list["WorkflowTransition"]] = relationship(
        lazy="raise", order_by="WorkflowTransition.position", cascade="all, delete-orphan"
    )


class TaskDefinition(Timestamped, Base):
    __tablename__ = "task_definitions"
    __table_args__ = (
        UniqueConstraint("company_id", "workflow_definition_id", "key"),
        ForeignKeyConstraint(
            ["company_id", "workflow_definition_id"],
            ["workflow_definitions.company_id", "workflow_definitions.id"],
            ondelete="CASCADE",
            name="fk_task_definitions_workflow_definition",
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_definition_id: Mapped[UUID] = mapped_column(nullable=False)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    task_type: Mapped[str] = mapped_column(String(20), nullable=False)
    input_schema: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    output_schema: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    action_url: Mapped[str | None] = mapped_column(String(2000))
    timeout_seconds: Mapped[int | None] = mapped_column(Integer)
    max_retries: Mapped[int | None] = mapped_column(Integer)
    input_transform: Mapped[str | None] = mapped_column(Text)
    output_transform: Mapped[str | None] = mapped_column(Text)
    edit_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    display_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    assignment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    due_in: Mapped[str | None] = mapped_column(Text)
    escalation: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The resolution a workflow ending here carries (`OutcomeSpec`); only end tasks have one.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class WorkflowTransition(Timestamped, Base):
    __tablename__ = "workflow_transitions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "workflow_definition_id"],
            ["workflow_definitions.company_id", "workflow_definitions.id"],
            ondelete="CASCADE",
            name="fk_workflow_transitions_workflow_definition",
        ),
        Index(None, "company_id", "workflow_definition_id"),
        ForeignKeyConstraint(
            ["company_id", "workflow_definition_id", "from_task"],
            [
                "task_definitions.company_id",
                "task_definitions.workflow_definition_id",
                "task_definitions.key",
            ],
            name="fk_workflow_transitions_from_task",
        ),
        ForeignKeyConstraint(
            ["company_id", "workflow_definition_id", "to_task"],
            [
                "task_definitions.company_id",
                "task_definitions.workflow_definition_id",
                "task_definitions.key",
            ],
            name="fk_workflow_transitions_to_task",
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_definition_id: Mapped[UUID] = mapped_column(nullable=False)
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    from_task: Mapped[str] = mapped_column(String(100), nullable=False)
    to_task: Mapped[str] = mapped_column(String(100), nullable=False)
    condition: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # The resolution when the workflow ends at `to_task` through this transition (`OutcomeSpec`).
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSONB)


class TicketType(DefinitionHead, Timestamped, Base):
    __tablename__ = "ticket_types"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    latest_version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # Denormalised from the latest version so lists filter without a join.
    workflow_key: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(10), nullable=False)


class TicketDefinition(Timestamped, Base):
    __tablename__ = "ticket_definitions"
    __table_args__ = (
        UniqueConstraint("company_id", "key", "version"),
        ForeignKeyConstraint(
            ["company_id", "ticket_type_id"],
            ["ticket_types.company_id", "ticket_types.id"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["company_id", "workflow_key"], ["workflows.company_id", "workflows.key"]),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_type_id: Mapped[UUID] = mapped_column(nullable=False)
    key: Mapped[str] = mapped_column(String(100), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    prefix: Mapped[str] = mapped_column(String(10), nullable=False)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    company_role_access: Mapped[list[str]] = mapped_column(JSONB, nullable=False)
    workflow_key: Mapped[str] = mapped_column(String(100), nullable=False)
    workflow_version: Mapped[int | None] = mapped_column(Integer)
    edit_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    display_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    resolution_target: Mapped[str | None] = mapped_column(String(100))
    created_by: Mapped[str | None] = mapped_column(String(100))
