from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from identity.users.schemas import UserRead

Secret = Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class SessionRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires.")
    refresh_token: str | None = Field(
        default=None, description='Only for API clients that asked with `"cookie": false`.'
    )
    user: UserRead


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    password: Secret
    cookie: bool = Field(
        default=True,
        description="True (browsers): the refresh token is set as an HttpOnly cookie. "
        "False (API clients): it is returned in the body.",
    )


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Secret | None = None
    cookie: bool = True


class LogoutRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: Secret | None = None
