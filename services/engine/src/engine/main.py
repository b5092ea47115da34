from fastapi import FastAPI

from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings
from engine.assignment.router import router as assignment_router
from engine.consumers import build_consumers
from engine.metrics.router import router as metrics_router
from engine.tasks.router import router as tasks_router
from engine.timers.service import run_timers
from engine.workers.router import router as workers_router
from engine.workflows.router import router as workflows_router


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        settings,
        ServiceParts(
            routers=[tasks_router, workflows_router, workers_router, assignment_router, metrics_router],
            consumers=build_consumers,
            workers=[run_timers],
            openapi_tags=[
                {"name": "tasks", "description": "Task instances: lists, My tasks, execution, reassignment."},
                {
                    "name": "workflow instances",
                    "description": "Instances, history, hold/resume/cancel, incidents.",
                },
                {
                    "name": "workers",
                    "description": "The roster of task workers and their availability.",
                },
                {
                    "name": "assignment",
                    "description": "Assignment rules per company and task definition, groups of "
                    "workers, and the queue of tasks nobody has started.",
                },
                {"name": "metrics", "description": "Key figures for dashboards."},
            ],
        ),
        title="TicketFlower engine",
    )
