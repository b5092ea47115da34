"""Tables of the `actions` schema. Every one is a company table under row-level security."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Timestamped, service_metadata
from contracts.ids import uuid7

metadata = service_metadata("actions")


class Base(DeclarativeBase):
    metadata = metadata


class AttemptOutcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    AWAITING_CALLBACK = "awaiting_callback"
    FAILED = "failed"
    # The callback of an ASYNC_ACTION arrived before the call that announced it returned.
    SUPERSEDED = "superseded"


class CompanySecret(Timestamped, Base):
    """The key every outbound call of a company is signed with (Standard Webhooks `whsec_`)."""

    __tablename__ = "company_secrets"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    secret: Mapped[str] = mapped_column(String(100), nullable=False)
    previous_secret: Mapped[str | None] = mapped_column(String(100), nullable=True)
    previous_valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class AllowlistEntry(Timestamped, Base):
    """A private target a company may call: a CIDR block or a host name."""

    __tablename__ = "company_allowlist"
    __table_args__ = (UniqueConstraint("company_id", "entry"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    entry: Mapped[str] = mapped_column(String(255), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    note: Mapped[str] = mapped_column(String(300), nullable=False, server_default="")


class ActionAttempt(Timestamped, Base):
    """One handled action request: the dedup record that keeps a redelivered request from
    producing a second result, and the figures the metrics are computed from."""

    __tablename__ = "action_attempts"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    request_id: Mapped[UUID] = mapped_column(primary_key=True)
    workflow_instance_id: Mapped[UUID] = mapped_column(nullable=False)
    task_instance_id: Mapped[UUID] = mapped_column(nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, nullable=False)
    task_type: Mapped[str] = mapped_column(String(20), nullable=False)
    host: Mapped[str] = mapped_column(String(255), nullable=False)
    outcome: Mapped[str] = mapped_column(String(20), nullable=False)
    http_calls: Mapped[int] = mapped_column(Integer, nullable=False, server_default="0")
    last_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)


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
