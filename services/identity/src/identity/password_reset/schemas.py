from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from identity.users.schemas import NewPassword


class ResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]


class ResetConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=256)]
    new_password: NewPassword


class ResetAccepted(BaseModel):
    detail: str
