import asyncio
import logging
from datetime import timedelta
from functools import partial

from fastapi import FastAPI

from common.errors import database_unavailable
from common.service import ServiceParts, create_service_app
from identity.companies.router import router as companies_router
from identity.company_roles.router import router as company_roles_router
from identity.config import IdentitySettings
from identity.consumers import build_consumers
from identity.keys.router import router as keys_router
from identity.keys.service import KeyRing
from identity.mail.adapters import mailer_from_settings
from identity.mail.port import Mailer
from identity.mail.postman import Postman
from identity.notifications.fanout import Notifier
from identity.notifications.router import router as notifications_router
from identity.operators.router import router as operators_router
from identity.password_reset.router import router as password_reset_router
from identity.passwords import Passwords
from identity.profile.router import router as profile_router
from identity.runtime import IdentityRuntime
from identity.sessions import service as sessions_service
from identity.sessions.router import router as sessions_router
from identity.users.router import router as users_router

log = logging.getLogger(__name__)

ATTEMPTS_KEPT = timedelta(days=1)
PURGE_EVERY_SECONDS = 600.0


async def _load_signing_keys(app: FastAPI) -> None:
    """Create the first signing key at start rather than inside a user's request."""
    runtime: IdentityRuntime = app.state.identity
    async with app.state.db.unit_of_work() as uow:
        await runtime.keyring.signing_key(uow)


async def _drain_mail(app: FastAPI) -> None:
    runtime: IdentityRuntime = app.state.identity
    await runtime.postman.drain()


async def purge_login_attempts_once(app: FastAPI) -> None:
    """One round of the purge. The database being away is expected (the next round catches up,
    and the health checks already say so); anything else is a fault and propagates."""
    try:
        async with app.state.db.unit_of_work() as uow:
            purged = await sessions_service.purge_login_attempts(uow, ATTEMPTS_KEPT)
    except Exception as exc:
        if not database_unavailable(exc):
            raise
        log.warning("old login attempts not purged, the database is unreachable: %s", exc)
        return
    if purged:
        log.info("purged %d old login attempts", purged)


async def _purge_login_attempts(app: FastAPI) -> None:
    while True:
        try:
            await purge_login_attempts_once(app)
        except Exception:
            # A fault in one round must not end the worker for the life of the process.
            log.exception("purging old login attempts failed; trying again in %.0f s", PURGE_EVERY_SECONDS)
        await asyncio.sleep(PURGE_EVERY_SECONDS)


def create_app(settings: IdentitySettings, *, mailer: Mailer | None = None) -> FastAPI:
    postman = Postman(mailer or mailer_from_settings(settings))
    notifier = Notifier(postman, settings.public_url)
    app = create_service_app(
        settings,
        ServiceParts(
            routers=[
                companies_router,
                sessions_router,
                keys_router,
                profile_router,
                password_reset_router,
                users_router,
                company_roles_router,
                notifications_router,
                operators_router,
            ],
            consumers=partial(build_consumers, notifier=notifier),
            workers=[_purge_login_attempts],
            on_startup=[_load_signing_keys],
            on_shutdown=[_drain_mail],
        ),
        title="TicketFlower identity",
    )
    app.state.identity = IdentityRuntime(
        settings=settings,
        keyring=KeyRing(settings),
        postman=postman,
        passwords=Passwords(
            settings.argon2_time_cost, settings.argon2_memory_cost_kib, settings.argon2_parallelism
        ),
    )
    return app
