from uuid import UUID

from pydantic import BaseModel


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
