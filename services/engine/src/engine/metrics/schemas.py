from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field


class WorkerLoad(BaseModel):
    user_id: UUID
    display_name: str
    open_tasks: int


class DayCount(BaseModel):
    day: str
    completed: int


class TaskDuration(BaseModel):
    task_key: str
    name: str
    task_type: str
    mean_seconds: float
    completed: int


class MetricsRead(BaseModel):
    open_tasks_per_worker: list[WorkerLoad]
    tasks_completed_per_day: list[DayCount]
    mean_time_per_task: list[TaskDuration]
    workflows_by_status: dict[str, int]


class TaskDefinitionTime(BaseModel):
    task_key: str
    name: str
    task_type: str
    completed: int
    total_seconds: float = Field(description="creation to completion, summed over the tasks")
    mean_seconds: float
    p50_seconds: float
    p90_seconds: float


class WorkerThroughput(BaseModel):
    user_id: UUID
    display_name: str
    completed: int = Field(description="FORM tasks completed in the range")
    median_seconds: float = Field(description="assignment to completion")


class EngineReportRead(BaseModel):
    first_day: date = Field(serialization_alias="from")
    last_day: date = Field(serialization_alias="to")
    time_per_task_definition: list[TaskDefinitionTime]
    worker_throughput: list[WorkerThroughput]


class TaskDefinitionSla(BaseModel):
    task_key: str
    name: str
    task_type: str
    due: int = Field(description="tasks due in the range, completed or still open")
    breached: int = Field(description="completed after their due time, or open past it")
    open_breached: int = Field(description="of the breached, those still open")
    breach_rate: float = Field(description="breached / due, 0..1")


class EngineSlaRead(BaseModel):
    first_day: date = Field(serialization_alias="from")
    last_day: date = Field(serialization_alias="to")
    per_task_definition: list[TaskDefinitionSla]


class IncidentRead(BaseModel):
    workflow_instance_id: UUID
    ticket_id: UUID
    ticket_number: str
    ticket_title: str
    reason: str
    since: datetime


class EngineOverviewRead(BaseModel):
    workflows_by_status: dict[str, int]
    incidents: int
    recent_incidents: list[IncidentRead] = Field(description="newest first, at most 5")
    unassigned: int = Field(description="FORM tasks waiting for an available worker")
    queue_by_worker: list[WorkerLoad]


class WeekFigures(BaseModel):
    week_start: date
    mine: int = Field(description="FORM tasks the caller completed that week")
    team_per_worker: float = Field(
        description="the team's completions that week per worker who completed any"
    )


class OpenTaskRead(BaseModel):
    id: UUID
    name: str
    status: str
    ticket_number: str
    ticket_title: str
    created_at: datetime
    assigned_at: datetime | None
    age_seconds: float


class MyPerformanceRead(BaseModel):
    weeks: list[WeekFigures] = Field(description="the last 8 ISO weeks, oldest first, this week last")
    my_median_seconds: float | None = Field(description="assignment to completion over those weeks")
    team_median_seconds: float | None
    open_total: int
    oldest_open: list[OpenTaskRead] = Field(
        description="the caller's open FORM tasks, oldest first, at most 10"
    )
