"""Events of the identity service (topic `identity.events`, keyed by company or user id)."""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from contracts.envelope import EventPayload
from contracts.topics import IDENTITY_EVENTS


class CompanyCreated(EventPayload):
    event_type: ClassVar[str] = "company.created"
    topic: ClassVar[str] = IDENTITY_EVENTS

    company_id: UUID
    name: str

    def aggregate_key(self) -> str:
        return str(self.company_id)


class UserState(EventPayload):
    """The full state of a user, carried by every user event so consumers keep their own copy."""

    topic: ClassVar[str] = IDENTITY_EVENTS

    user_id: UUID
    email: str
    first_name: str
    last_name: str
    is_active: bool
    system_roles: list[str]
    company_roles: list[str]
    # Access tokens of this user issued (`iat`) before this instant are refused. Set when the
    # user loses a role or is deactivated; None when it never happened.
    tokens_valid_after: datetime | None = None

    def aggregate_key(self) -> str:
        return str(self.user_id)

    @property
    def display_name(self) -> str:
        """How other services show this user: their full name, or their email without one."""
        return f"{self.first_name} {self.last_name}".strip() or self.email


class UserCreated(UserState):
    event_type: ClassVar[str] = "user.created"


class UserUpdated(UserState):
    event_type: ClassVar[str] = "user.updated"


class UserDeactivated(UserState):
    event_type: ClassVar[str] = "user.deactivated"


class UserRolesChanged(UserState):
    event_type: ClassVar[str] = "user.roles_changed"


class CompanyUpdated(EventPayload):
    """The company's details changed (its admin edited them)."""

    event_type: ClassVar[str] = "company.updated"
    topic: ClassVar[str] = IDENTITY_EVENTS

    company_id: UUID
    name: str

    def aggregate_key(self) -> str:
        return str(self.company_id)


class CompanyStatusChanged(EventPayload):
    """A platform operator suspended or reactivated a company. While it is suspended its users
    cannot sign in; access tokens of its users issued (`iat`) before `tokens_valid_after` are
    refused (a suspension sets it, so sessions already open end too)."""

    topic: ClassVar[str] = IDENTITY_EVENTS

    company_id: UUID
    status: str
    tokens_valid_after: datetime | None = None

    def aggregate_key(self) -> str:
        return str(self.company_id)


class CompanySuspended(CompanyStatusChanged):
    event_type: ClassVar[str] = "company.suspended"


class CompanyReactivated(CompanyStatusChanged):
    event_type: ClassVar[str] = "company.reactivated"
