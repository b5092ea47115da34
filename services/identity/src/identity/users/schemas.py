from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from common.auth import SystemRole
from identity.emails import MAX_LENGTH as EMAIL_MAX_LENGTH
from identity.emails import normalize_email
from identity.passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH
from identity.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from identity.passwords import password_problems

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100),
    Field(description="1 to 100 characters, surrounding blanks removed."),
]
Email = Annotated[
    str,
    Field(
        max_length=320,
        description=f"An email address (name@example.com, at most {EMAIL_MAX_LENGTH} characters once "
        "surrounding blanks are removed); compared case-insensitively.",
        json_schema_extra={"format": "email"},
    ),
    AfterValidator(normalize_email),
]


def check_new_password(password: str) -> str:
    problems = password_problems(password)
    if problems:
        raise ValueError("The password " + "; ".join(problems) + ".")
    return password


# The rule is enforced by `check_new_password` (one message listing every problem); the schema
# states the same rule so a client can check it before sending.
NewPassword = Annotated[
    str,
    AfterValidator(check_new_password),
    Field(
        description=f"{PASSWORD_MIN_LENGTH} to {PASSWORD_MAX_LENGTH} characters, mixing at least two of: "
        "lower-case letters, upper-case letters, digits, symbols; not the email address.",
        json_schema_extra={"minLength": PASSWORD_MIN_LENGTH, "maxLength": PASSWORD_MAX_LENGTH},
    ),
]


class UserRead(BaseModel):
    id: UUID
    company_id: UUID
    email: str
    first_name: str
    last_name: str
    is_active: bool
    system_roles: list[str]
    company_roles: list[str]


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email
    first_name: Name
    last_name: Name
    system_roles: list[SystemRole] = Field(default_factory=lambda: [SystemRole.USER], max_length=10)
    company_roles: list[str] = Field(default_factory=lambda: ["user"], max_length=100)
    password: NewPassword | None = Field(
        default=None, description="An initial password; without one the user gets a mail to set it."
    )

    @model_validator(mode="after")
    def _password_is_not_the_email(self) -> "UserCreate":
        if self.password is not None and self.password.strip().lower() == self.email.lower():
            raise ValueError("The password must not be the email address.")
        return self


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Email | None = None
    first_name: Name | None = None
    last_name: Name | None = None


class RolesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    system_roles: list[SystemRole] = Field(max_length=10)
    company_roles: list[str] = Field(max_length=100)
