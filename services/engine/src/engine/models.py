"""The engine's tables: its copies of definitions and workers, the workflow and task instances
it runs, the decisions and history it records, and the timers that watch deadlines."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    DateTime,
    FetchedValue,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, Unmapped, mapped_column, unmapped_column

from common.db import Timestamped, service_metadata
from contracts.ids import uuid7

metadata = service_metadata("engine")


class Base(DeclarativeBase):
    metadata = metadata


class Worker(Timestamped, Base):
    """A user of the company as the engine knows them from identity events; only active users
    with the `task_worker` role who are available receive tasks."""

    __tablename__ = "workers"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(Boolean)
    is_task_worker: Mapped[bool] = mapped_column(Boolean)
    available: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    last_assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The user's company roles: for company-role rules, and escalations to the workers of a role.
    company_roles: Mapped[list[str]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))


class AssignmentRuleRow(Timestamped, Base):
    """The rule an admin set: for the whole company (both keys empty) or for one task
    definition (by workflow and task key, so it holds for every version)."""

    __tablename__ = "assignment_rules"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    workflow_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    task_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    rule: Mapped[dict[str, Any]] = mapped_column(JSONB)
    updated_by: Mapped[UUID | None]


class WorkerGroup(Timestamped, Base):
    """A named group of workers that a rule can send tasks to; `key` is what rules name."""

    __tablename__ = "worker_groups"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, server_default="")


class WorkerGroupMember(Base):
    __tablename__ = "worker_group_members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "group_id"], ["worker_groups.company_id", "worker_groups.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["company_id", "user_id"], ["workers.company_id", "workers.user_id"]),
        Index("ix_worker_group_members_company_id_user_id", "company_id", "user_id"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    group_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class AssignmentRecord(Base):
    """Every assignment of a FORM task: to whom, from whom, who or what made it (a strategy or a
    person) and the structured reason, which reads as a sentence (`explain`)."""

    __tablename__ = "assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "task_instance_id"], ["task_instances.company_id", "task_instances.id"]
        ),
        Index("ix_assignments_company_id_task_instance_id", "company_id", "task_instance_id"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    task_instance_id: Mapped[UUID]
    workflow_instance_id: Mapped[UUID]
    assignee_id: Mapped[UUID]
    previous_assignee_id: Mapped[UUID | None]
    made_by: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    strategy: Mapped[str] = mapped_column(String(40))
    reason: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
    )


class WorkflowDefinition(Timestamped, Base):
    """An immutable published version, as carried by the definitions event."""

    __tablename__ = "workflow_definitions"
    __table_args__ = (UniqueConstraint("company_id", "key", "version"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    start_task: Mapped[str] = mapped_column(String(200))
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    transitions: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    archived: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class TicketDefinition(Timestamped, Base):
    """Which workflow (and pinned version) a ticket type starts."""

    __tablename__ = "ticket_definitions"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    workflow_key: Mapped[str] = mapped_column(String(200))
    workflow_version: Mapped[int | None] = mapped_column(Integer)


class WorkflowInstance(Timestamped, Base):
    __tablename__ = "workflow_instances"
    __table_args__ = (
        UniqueConstraint("company_id", "ticket_id"),
        Index("ix_workflow_instances_company_id_status", "company_id", "status"),
        Index("ix_workflow_instances_search", "search_vector", postgresql_using="gin"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[UUID]
    ticket_number: Mapped[str] = mapped_column(String(100))
    ticket_title: Mapped[str] = mapped_column(String(300))
    ticket_definition_key: Mapped[str] = mapped_column(String(200))
    workflow_definition_id: Mapped[UUID]
    workflow_key: Mapped[str] = mapped_column(String(200))
    workflow_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20))
    workflow_data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    current_task_instance_id: Mapped[UUID | None]
    incident: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    submitted_by: Mapped[UUID | None]
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The resolution it ended with (`WorkflowOutcome`): None while running, and for an end that
    # names none.
    outcome: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # The ticket's number, title and submitted data, for the task lists' text search. Set by a
    # trigger (migration 0007) when the instance is created, never as the workflow data moves
    # on (that would cost every step). A column of the table but not of the mapped object:
    # nothing but search reads it, and an unloaded server-set attribute would make every
    # UPDATE of an instance fetch it back (eager defaults), one more round trip per step.
    search_vector: Unmapped[str] = unmapped_column(TSVECTOR, nullable=False, server_default=FetchedValue())


class TaskInstance(Timestamped, Base):
    __tablename__ = "task_instances"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["workflow_instances.company_id", "workflow_instances.id"],
        ),
        # One task instance per step of an instance: a replayed step cannot create a second one.
        UniqueConstraint("company_id", "workflow_instance_id", "sequence"),
        Index("ix_task_instances_company_id_assignee_id_status", "company_id", "assignee_id", "status"),
        Index("ix_task_instances_company_id_status_created_at", "company_id", "status", "created_at"),
        Index("ix_task_instances_company_id_due_at", "company_id", "due_at"),
        Index(
            "ix_task_instances_name_search",
            func.to_tsvector(text("'simple'::regconfig"), text("name")),
            postgresql_using="gin",
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_instance_id: Mapped[UUID]
    sequence: Mapped[int] = mapped_column(Integer)
    task_key: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(300))
    task_type: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    output: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    assignee_id: Mapped[UUID | None]
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    assignment: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    attempt: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    retries: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    request_id: Mapped[UUID | None]
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    error: Mapped[str | None] = mapped_column(Text)
    # From the definition's `due_in` when the task was entered; escalated_at once it passed open.
    due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, server_default=text("1"))

    # Merged with the mixin's, whose eager_defaults this would otherwise drop.
    __mapper_args__ = {**Timestamped.__mapper_args__, "version_id_col": version}


class Decision(Base):
    """Which transition left a task, with every condition tried and its value."""

    __tablename__ = "decisions"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["workflow_instances.company_id", "workflow_instances.id"],
        ),
        # A task is left at most once; incidents may be decided again after a retry.
        Index(
            "uq_decisions_company_id_from_task_instance_id",
            "company_id",
            "from_task_instance_id",
            unique=True,
            postgresql_where=text("outcome <> 'incident'"),
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_instance_id: Mapped[UUID]
    from_task_instance_id: Mapped[UUID]
    from_task_key: Mapped[str] = mapped_column(String(200))
    to_task_key: Mapped[str | None] = mapped_column(String(200))
    outcome: Mapped[str] = mapped_column(String(20))
    tried: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class HistoryEntry(Base):
    """Every change of an instance: who, what, when, and the data before and after. One row
    per step: its first change in the columns, the step's further changes in `entries`."""

    __tablename__ = "history"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "workflow_instance_id"],
            ["workflow_instances.company_id", "workflow_instances.id"],
        ),
        Index("ix_history_company_id_workflow_instance_id", "company_id", "workflow_instance_id"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    workflow_instance_id: Mapped[UUID]
    task_instance_id: Mapped[UUID | None]
    action: Mapped[str] = mapped_column(String(60))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[str | None] = mapped_column(String(100))
    detail: Mapped[str] = mapped_column(Text, server_default="")
    data_before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    data_after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    info: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    entries: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB)
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
    )


class Timer(Base):
    """A deadline to watch. Deliberately outside row-level security: the scheduler finds due
    timers of every company before it knows which company each belongs to. A row holds ids and
    times only, no tenant data; each fired timer is handled in a unit of work scoped to its
    company, where every read of tenant data goes through RLS again."""

    __tablename__ = "timers"
    __table_args__ = (
        UniqueConstraint("company_id", "task_instance_id", "kind"),
        Index("ix_timers_due_at", "due_at"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    task_instance_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(40))
    attempt: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
