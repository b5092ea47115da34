"""The identity schema.

Company tables (`companies`, `users`, `company_roles`, `user_company_roles`, `refresh_tokens`,
`password_reset_tokens`, `notifications`, `notification_preferences`, `notification_tickets`) carry `company_id` in every key and are guarded by row-level security.

Three tables are deliberately outside it, because they are read before any company is known:
- `login_identities` maps a lower-cased email to its company and user, so a login or a reset
  request can find the company to scope the rest of its transaction to. It holds no secret
  (the password hash stays in the guarded `users` table) and its primary key makes emails
  unique across the whole system.
- `signing_keys` are the system's JWT keys (private halves encrypted).
- `login_attempts` is the rate limiter's ledger, keyed by hashed account and client address.
- `operators` are the platform's operators, who belong to no company.

`companies` has a second policy besides the tenant one: a transaction that declared itself a
platform operator's (`app.platform_operator`) reads and updates every company row, and no
other table's.
"""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.auth import SystemRole
from common.db import service_metadata
from common.repository import SoftDeletable
from contracts.ids import uuid7

metadata = service_metadata("identity")

SYSTEM_ROLE_VALUES = ", ".join(f"'{role.value}'" for role in SystemRole)


class Base(DeclarativeBase):
    metadata = metadata


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Company(Timestamps, Base):
    __tablename__ = "companies"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended')", name="known_status"),)

    company_id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(320))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC")
    status: Mapped[str] = mapped_column(String(16), default="active", server_default="active")
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when the company is suspended: access tokens of its users issued before it are refused.
    tokens_valid_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class User(Timestamps, Base):
    __tablename__ = "users"
    __table_args__ = (
        ForeignKeyConstraint(["company_id"], ["identity.companies.company_id"], ondelete="CASCADE"),
        CheckConstraint(f"system_roles <@ ARRAY[{SYSTEM_ROLE_VALUES}]::varchar[]", name="known_system_roles"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    system_roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)))
    deactivated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Access tokens issued before this instant are no longer honoured (set when the user loses
    # a role or is deactivated; the gateway learns it from the user's events).
    tokens_valid_after: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class CompanyRole(SoftDeletable, Timestamps, Base):
    __tablename__ = "company_roles"
    __table_args__ = (
        ForeignKeyConstraint(["company_id"], ["identity.companies.company_id"], ondelete="CASCADE"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    name: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500), default="")
    # The company's `user` role: every new user gets it, and it can be neither renamed nor deleted.
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)


class UserCompanyRole(Base):
    __tablename__ = "user_company_roles"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(
            ["company_id", "company_role_id"],
            ["identity.company_roles.company_id", "identity.company_roles.id"],
            ondelete="CASCADE",
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    company_role_id: Mapped[UUID] = mapped_column(primary_key=True)


class LoginIdentity(Base):
    __tablename__ = "login_identities"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
        Index("uq_login_identities_company_id_user_id", "company_id", "user_id", unique=True),
    )

    email_lower: Mapped[str] = mapped_column(String(254), primary_key=True)
    company_id: Mapped[UUID]
    user_id: Mapped[UUID]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RefreshToken(Base):
    """One refresh token of a session family. Rotation marks it used and adds its successor
    to the same family; presenting a used one revokes the family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
        Index("uq_refresh_tokens_company_id_token_hash", "company_id", "token_hash", unique=True),
        Index("ix_refresh_tokens_company_id_family_id", "company_id", "family_id"),
        Index("ix_refresh_tokens_company_id_user_id", "company_id", "user_id"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[UUID]
    family_id: Mapped[UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PasswordResetToken(Base):
    __tablename__ = "password_reset_tokens"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
        Index("uq_password_reset_tokens_company_id_token_hash", "company_id", "token_hash", unique=True),
        CheckConstraint("purpose IN ('reset', 'invitation')", name="known_purpose"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[UUID]
    purpose: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SigningKey(Base):
    __tablename__ = "signing_keys"

    kid: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    private_key_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Operator(Timestamps, Base):
    __tablename__ = "operators"

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)


class LoginAttempt(Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_key_attempted_at", "key", "attempted_at"),)

    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    key: Mapped[str] = mapped_column(String(80))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    attempted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Notification(Base):
    """Something a user should hear of, from an event: in the app until read, and by email for
    the kinds the user opted into. It belongs to its user and company alone."""

    __tablename__ = "notifications"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
        # One notification per user per event: a redelivered event cannot notify twice.
        Index(
            "uq_notifications_company_id_user_id_event_id", "company_id", "user_id", "event_id", unique=True
        ),
        Index("ix_notifications_company_id_user_id_id", "company_id", "user_id", "id"),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    id: Mapped[UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    event_id: Mapped[UUID]
    ticket_id: Mapped[UUID | None]
    task_instance_id: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Base):
    """A user's choice for one kind; a kind without a row takes the defaults (in the app, no
    email)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        ForeignKeyConstraint(
            ["company_id", "user_id"], ["identity.users.company_id", "identity.users.id"], ondelete="CASCADE"
        ),
    )

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    user_id: Mapped[UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    in_app: Mapped[bool] = mapped_column(Boolean)
    email: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class NotificationTicket(Base):
    """Who submitted a ticket, its number and title, from `ticket.submitted` (event-carried
    state): engine events name only the ticket, and a requester hears of its changes."""

    __tablename__ = "notification_tickets"

    company_id: Mapped[UUID] = mapped_column(primary_key=True)
    ticket_id: Mapped[UUID] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    submitted_by: Mapped[UUID | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


# Emails and role names are unique per company case-insensitively (emails are also unique across
# companies, through `login_identities`).
Index("uq_users_company_id_email", User.company_id, func.lower(User.email), unique=True)
Index("uq_operators_email", func.lower(Operator.email), unique=True)
# A deleted role keeps its row (and its name, for the history that names it); its name is free
# for a new role.
Index(
    "uq_company_roles_company_id_name",
    CompanyRole.company_id,
    func.lower(CompanyRole.name),
    unique=True,
    postgresql_where=CompanyRole.deleted_at.is_(None),
)
