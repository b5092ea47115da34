from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

RoleName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[^\s,][^,]*$")
]


class CompanyRoleRead(BaseModel):
    id: UUID
    name: str
    description: str
    is_default: bool = Field(description="The company's `user` role: given to every user, never deleted.")


class CompanyRoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RoleName
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""


class CompanyRoleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: RoleName | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
