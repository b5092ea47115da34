import zoneinfo
from datetime import datetime
from enum import StrEnum
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from identity.users.schemas import Email, Name, NewPassword

CompanyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _known_timezone(value: str) -> str:
    if value not in zoneinfo.available_timezones():
        # A custom error: its message reaches the form as written, without "Value error, ".
        raise PydanticCustomError("unknown_timezone", "must be an IANA time zone, like Europe/Berlin or UTC")
    return value


TimeZone = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    AfterValidator(_known_timezone),
    Field(description="An IANA time zone name (Europe/Berlin, America/New_York, UTC)."),
]


class CompanyStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class SignupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company_name: CompanyName
    email: Email
    password: NewPassword
    first_name: Name
    last_name: Name
    cookie: bool = Field(
        default=True, description="False: return the refresh token in the body instead of a cookie."
    )

    @model_validator(mode="after")
    def _password_is_not_the_email(self) -> "SignupRequest":
        if self.password.strip().lower() == self.email.lower():
            raise ValueError("The password must not be the email address.")
        return self


class CompanyCountsRead(BaseModel):
    users: int
    active_users: int
    admins: int = Field(description="Active users holding the `admin` role.")
    company_roles: int


class CompanyRead(BaseModel):
    """The caller's company, as its members see it."""

    id: UUID
    name: str
    contact_email: str | None
    timezone: str
    status: CompanyStatus
    created_at: datetime
    counts: CompanyCountsRead


class CompanyUpdate(BaseModel):
    """Only the fields sent change; `contact_email: null` clears it."""

    model_config = ConfigDict(extra="forbid")

    name: CompanyName | None = None
    contact_email: Email | None = None
    timezone: TimeZone | None = None

    @model_validator(mode="after")
    def _name_is_not_cleared(self) -> "CompanyUpdate":
        if "name" in self.model_fields_set and self.name is None:
            raise ValueError("The company's name cannot be removed.")
        if "timezone" in self.model_fields_set and self.timezone is None:
            raise ValueError("The company's time zone cannot be removed; use UTC.")
        return self
