from fastapi import FastAPI

from common.service import ServiceParts, create_service_app
from common.settings import ServiceSettings
from tickets.attachment.router import router as attachment_router
from tickets.config import TicketsSettings
from tickets.consumers import build_consumers
from tickets.ingest.router import keys_router, rejections_router
from tickets.reports.router import router as reports_router
from tickets.storage.factory import build_storage
from tickets.storage.port import AttachmentStorage
from tickets.ticket.router import router as ticket_router
from tickets.ticket.watch import watch_of
from tickets.ticket_type.router import router as ticket_type_router


async def _close_storage(app: FastAPI) -> None:
    storage: AttachmentStorage = app.state.storage
    await storage.close()


async def _close_watch(app: FastAPI) -> None:
    await watch_of(app.state.db).close()


def create_app(settings: ServiceSettings) -> FastAPI:
    assert isinstance(settings, TicketsSettings)
    app = create_service_app(
        settings,
        ServiceParts(
            routers=[
                ticket_type_router,
                ticket_router,
                attachment_router,
                keys_router,
                rejections_router,
                reports_router,
            ],
            consumers=build_consumers,
            on_shutdown=[_close_storage, _close_watch],
            openapi_tags=[
                {"name": "tickets", "description": "Submitting tickets, My tickets, the ticket team's lists"},
                {"name": "ticket types", "description": "The ticket types a user may submit"},
                {"name": "attachments", "description": "Files attached to tickets"},
                {"name": "ingest keys", "description": "Keys and refusals of external ticket events"},
                {
                    "name": "reports",
                    "description": "Dashboard figures and reports over the company's tickets",
                },
            ],
        ),
        title="TicketFlower tickets",
    )
    app.state.storage = build_storage(settings)
    return app
