from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from identity.companies.schemas import CompanyCountsRead, CompanyStatus


class OperatorRead(BaseModel):
    id: UUID
    email: str
    display_name: str


class OperatorLogin(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=320)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class OperatorSessionRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires; then sign in again.")
    operator: OperatorRead


class CompanySummary(BaseModel):
    """What an operator sees of a company in the list: nothing of its tenants' data."""

    id: UUID
    name: str
    status: CompanyStatus
    created_at: datetime
    suspended_at: datetime | None


class CompanyOverview(CompanySummary):
    counts: CompanyCountsRead
