from fastapi import FastAPI

from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings
from definitions.bundles.router import router as bundles_router
from definitions.consumers import build_consumers
from definitions.ticket_types.router import router as ticket_types_router
from definitions.versions_diff.router import router as versions_diff_router
from definitions.workflows.router import router as workflows_router


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        settings,
        ServiceParts(
            routers=[bundles_router, workflows_router, ticket_types_router, versions_diff_router],
            consumers=build_consumers,
            openapi_tags=[
                {"name": "bundles", "description": "Upload, validate and dry-run workflow bundles."},
                {"name": "workflows", "description": "Workflow definitions, their tasks and versions."},
                {"name": "ticket types", "description": "Ticket definitions and their versions."},
            ],
        ),
        title="TicketFlower definitions",
    )
