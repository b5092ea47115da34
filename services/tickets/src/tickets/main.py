from fastapi import FastAPI

from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings
from tickets.consumers import build_consumers


def create_app(settings: ServiceSettings) -> FastAPI:
    return create_service_app(
        settings,
        ServiceParts(routers=[], consumers=build_consumers),
        title="TicketFlower tickets",
    )
