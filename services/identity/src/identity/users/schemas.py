from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from common.auth import SystemRole
from identity.emails import normalize_email
from identity.passwords import password_problems

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Email = Annotated[str, Field(max_length=320), AfterValidator(normalize_email)]


def check_new_password(password: str) -> str:
    problems = password_problems(password)
    if problems:
        raise ValueError("The password " + "; ".join(problems) + ".")
    return password


NewPassword = Annotated[str, AfterValidator(check_new_password)]


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
