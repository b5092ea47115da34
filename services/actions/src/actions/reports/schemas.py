from datetime import date, datetime

from pydantic import BaseModel, Field


class HostFailures(BaseModel):
    host: str
    finished: int = Field(description="action requests that ended in the range")
    failed: int = Field(description="those that failed once their retries were spent")
    failure_rate: float = Field(description="failed / finished, 0..1")
    http_calls: int = Field(description="HTTP calls made for the requests that ended")
    last_failure_at: datetime | None
    last_error: str | None


class ActionReportRead(BaseModel):
    first_day: date = Field(serialization_alias="from")
    last_day: date = Field(serialization_alias="to")
    hosts: list[HostFailures] = Field(description="hosts with failures first, most failures first")
