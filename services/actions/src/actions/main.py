from fastapi import FastAPI

from actions.consumers import build_consumers
from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        settings,
        ServiceParts(routers=[], consumers=build_consumers),
        title="TicketFlower actions",
    )
