"""The `tickets` schema. Every table is a company table: its keys all start with `company_id`
and row-level security (migration 0002) binds it to the transaction's company."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
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
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import Timestamped, service_metadata
from contracts.ids import uuid7

metadata = service_metadata("tickets")


class Base(DeclarativeBase):
    metadata = metadata


class TicketType(Timestamped, Base):
    """This service's copy of one published ticket definition version (from definitions events)."""

    __tablename__ = "ticket_types"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    definition_id: Mapped[UUID] = mapped_column(nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    prefix: Mapped[str] = mapped_column(String(20), nullable=False)
    fields: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    workflow_key: Mapped[str] = mapped_column(String(100), nullable=False)
    workflow_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    company_role_access: Mapped[list[str]] = mapped_column(ARRAY(String(100)), nullable=False)
    edit_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    display_layout: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    resolution_target: Mapped[str | None] = mapped_column(String(100), nullable=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class Person(Base):
    """A user of the company as identity's events describe them: what the tickets service
    shows where a ticket names a person (its submitter, an assignee, an uploader)."""

    __tablename__ = "people"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    display_name: Mapped[str] = mapped_column(String(300), nullable=False)
    email: Mapped[str] = mapped_column(String(320), nullable=False)
    # When identity said so: a replayed older event does not overwrite a newer name.
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class CompanyStanding(Base):
    """Whether a company may use the platform, as identity's `company.suspended` and
    `company.reactivated` events say (event-carried state). A company without a row was never
    suspended. While it is suspended its ingest keys are refused."""

    __tablename__ = "company_standing"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    # When identity said so: a replayed older event does not undo a newer one.
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class TicketNumberCounter(Base):
    """The last human number handed out per company and prefix. Incremented with
    `UPDATE ... RETURNING` under the row lock, so concurrent submits queue on the row and a
    rolled-back submit gives its number back."""

    __tablename__ = "ticket_number_counters"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_number: Mapped[int] = mapped_column(BigInteger, nullable=False)


class Ticket(Timestamped, Base):
    __tablename__ = "tickets"
    __table_args__ = (
        UniqueConstraint("company_id", "number"),
        UniqueConstraint("company_id", "inbound_event_id"),
        Index("ix_tickets_search", "search_vector", postgresql_using="gin"),
        Index("ix_tickets_company_id_submitted_by_created_at", "company_id", "submitted_by", "created_at"),
        Index("ix_tickets_company_id_status_created_at", "company_id", "status", "created_at"),
        Index("ix_tickets_company_id_resolution_due_at", "company_id", "resolution_due_at"),
        Index("ix_tickets_company_id_outcome_key_created_at", "company_id", "outcome_key", "created_at"),
        Index("ix_tickets_company_id_created_at", "company_id", "created_at"),
        Index(
            "ix_tickets_company_id_closed_at",
            "company_id",
            "closed_at",
            postgresql_where=text("closed_at IS NOT NULL"),
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    number: Mapped[str] = mapped_column(String(40), nullable=False)
    prefix: Mapped[str] = mapped_column(String(20), nullable=False)
    sequence: Mapped[int] = mapped_column(BigInteger, nullable=False)
    ticket_type_key: Mapped[str] = mapped_column(String(100), nullable=False)
    ticket_type_version: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    ticket_data: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    status_changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    # When the ticket type's resolution target says it should be done; None without a target.
    resolution_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    submitted_by: Mapped[UUID | None] = mapped_column(nullable=True)
    submitted_by_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    source: Mapped[str] = mapped_column(String(20), nullable=False)
    inbound_event_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    workflow_instance_id: Mapped[UUID | None] = mapped_column(nullable=True)
    current_task_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The resolution the workflow ended with (`workflow.completed`); None until then, and for a
    # workflow whose end names none.
    outcome_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    outcome_label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    outcome_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Title and number words weigh more than data words ('simple': ticket data is in whatever
    # language the company writes). A trigger (migration 0003) computes it only when the title,
    # data or number change, so the frequent status updates never recompute it, as a generated
    # column would on every UPDATE. Deferred: nothing but search reads it.
    search_vector: Mapped[str] = mapped_column(
        TSVECTOR, nullable=False, server_default=FetchedValue(), deferred=True
    )


class TimelineEntry(Base):
    """One engine event as the ticket's timeline shows it."""

    __tablename__ = "timeline_entries"
    __table_args__ = (
        UniqueConstraint("company_id", "event_id"),
        ForeignKeyConstraint(
            ["company_id", "ticket_id"], ["tickets.tickets.company_id", "tickets.tickets.id"]
        ),
        Index(
            "ix_timeline_entries_company_id_ticket_id_occurred_at", "company_id", "ticket_id", "occurred_at"
        ),
        Index(
            "ix_timeline_entries_company_id_ticket_id_task_instance_id",
            "company_id",
            "ticket_id",
            "task_instance_id",
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[UUID] = mapped_column(nullable=False)
    event_id: Mapped[UUID] = mapped_column(nullable=False)
    event_type: Mapped[str] = mapped_column(String(60), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False)
    workflow_status: Mapped[str] = mapped_column(String(20), nullable=False)
    task_key: Mapped[str | None] = mapped_column(String(100), nullable=True)
    task_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    task_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # The engine's task instance the event is about: what an attachment's task is checked against.
    task_instance_id: Mapped[UUID | None] = mapped_column(nullable=True)
    assignee_id: Mapped[UUID | None] = mapped_column(nullable=True)
    detail: Mapped[str] = mapped_column(Text, nullable=False, default="")
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )


class Attachment(Timestamped, Base):
    """A stored file of a ticket (or of one of its tasks). Uploading the same filename again
    adds a version; `ext_key` is where the storage adapter keeps the bytes."""

    __tablename__ = "attachments"
    __table_args__ = (
        UniqueConstraint("company_id", "ticket_id", "filename", "version"),
        UniqueConstraint("company_id", "ext_key"),
        ForeignKeyConstraint(
            ["company_id", "ticket_id"], ["tickets.tickets.company_id", "tickets.tickets.id"]
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    ticket_id: Mapped[UUID] = mapped_column(nullable=False)
    task_instance_id: Mapped[UUID | None] = mapped_column(nullable=True)
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    content_type: Mapped[str] = mapped_column(String(200), nullable=False)
    size_bytes: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    ext_key: Mapped[str] = mapped_column(String(500), nullable=False)
    uploaded_by: Mapped[UUID | None] = mapped_column(nullable=True)


class IngestKey(Timestamped, Base):
    """A company's key for publishing to `tickets.inbound`. No secret is stored: the secret of
    generation N is derived from the server's ingest secret, the company and the key id (HKDF),
    so a database dump alone lets nobody sign messages."""

    __tablename__ = "ingest_keys"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    secret_fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    previous_valid_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_by: Mapped[UUID | None] = mapped_column(nullable=True)
    rotated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class IngestKeyDirectory(Base):
    """Which company an ingest key id belongs to, and nothing else (no secret, no name).

    Not a company table (no row-level security): a record on `tickets.inbound` whose body is
    too broken to name its company is still signed with a key, and this is how its company is
    found, so the record can be verified under that company's key and listed for its admin."""

    __tablename__ = "ingest_key_directory"

    key_id: Mapped[UUID] = mapped_column(primary_key=True)
    company_id: Mapped[UUID] = mapped_column(nullable=False)


class InboundRejection(Base):
    """An external ticket event that was refused (and dead-lettered), for the company admin."""

    __tablename__ = "inbound_rejections"
    __table_args__ = (
        UniqueConstraint("company_id", "source_position"),
        Index("ix_inbound_rejections_company_id_received_at", "company_id", "received_at"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    source_position: Mapped[str] = mapped_column(String(300), nullable=False)
    sender_event_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    reason: Mapped[str] = mapped_column(String(60), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB, nullable=True)
    body_excerpt: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), nullable=False, server_default=func.now()
    )
