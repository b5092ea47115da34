"""Tables of the `actions` schema: company tables under row-level security, and the runners'
queue beside them."""

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Timestamped, service_metadata
from common.repository import SoftDeletable
from contracts.ids import uuid7

metadata = service_metadata("actions")


class Base(DeclarativeBase):
    metadata = metadata


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    AWAITING_CALLBACK = "awaiting_callback"
    FAILED = "failed"
    # The callback of an ASYNC_ACTION arrived before the call that announced it returned.
    SUPERSEDED = "superseded"


LIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class CompanySecret(Timestamped, Base):
    """The key every outbound call of a company is signed with (Standard Webhooks `whsec_`)."""

    __tablename__ = "company_secrets"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    previous_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    previous_valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AllowlistEntry(SoftDeletable, Timestamped, Base):
    """A private target a company may call: a CIDR block or a host name. A removed entry is
    soft-deleted (what was allowed when stays known); only live entries are unique."""

    __tablename__ = "company_allowlist"
    __table_args__ = (
        Index(
            "uq_company_allowlist_company_id_entry",
            "company_id",
            "entry",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    entry: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")


class ActionJob(Timestamped, Base):
    """The one job of an action task instance: the request of its latest attempt, how far its
    calls have got, and how it ended. Recorded by the consumer before any call is made, so a
    runner that dies loses nothing; a redelivered or repeated request finds it and adds no
    second job. The figures the metrics are computed from live here too."""

    __tablename__ = "action_jobs"
    __table_args__ = (
        Index(
            "ix_action_jobs_company_id_finished_at",
            "company_id",
            "finished_at",
            postgresql_where=text("finished_at IS NOT NULL"),
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    task_instance_id: Mapped[UUID] = mapped_column(primary_key=True)
    request_id: Mapped[UUID] = mapped_column(nullable=False)
    workflow_instance_id: Mapped[UUID] = mapped_column(nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    task_type: Mapped[str] = mapped_column(String(20), nullable=False)
    host: Mapped[str] = mapped_column(String(255), nullable=False)
    request: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # When the engine stops waiting for this attempt unless told otherwise.
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # How long the runner that takes the attempt may take over all its calls.
    budget_seconds: Mapped[float] = mapped_column(Float, nullable=False, server_default="0")
    # When the runner that took the attempt promised to answer by.
    answer_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    http_calls: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


class QueuedJob(Base):
    """A live job's place in the runners' queue: when it may next be taken, and by whom it is
    held until then. Deliberately outside row-level security: the runners take due jobs of
    every company, fairly, before they know whose each is. A row holds ids and times only;
    the job itself is read in a unit of work scoped to its company."""

    __tablename__ = "action_queue"
    __table_args__ = (
        Index("ix_action_queue_due_at", "due_at"),
        Index("ix_action_queue_company_id_due_at", "company_id", "due_at"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    task_instance_id: Mapped[UUID] = mapped_column(primary_key=True)
    # Due to be taken; while a runner holds the job, this is when its lease runs out.
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # How long a take holds the job: the call's timeout and a margin.
    lease_seconds: Mapped[float] = mapped_column(Float, nullable=False)


class Callback(Timestamped, Base):
    """The single-use callback of one ASYNC_ACTION request."""

    __tablename__ = "callbacks"
    __table_args__ = (UniqueConstraint("company_id", "request_id"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    request_id: Mapped[UUID] = mapped_column(nullable=False)
    workflow_instance_id: Mapped[UUID] = mapped_column(nullable=False)
    task_instance_id: Mapped[UUID] = mapped_column(nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    output_transform: Mapped[str | None] = mapped_column(Text, nullable=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
