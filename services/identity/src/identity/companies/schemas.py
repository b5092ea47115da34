from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from identity.users.schemas import Email, Name, NewPassword


class SignupRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    company_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
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
