"""Whether a company is suspended, kept from identity's company status events (event-carried
state: the tickets service never asks identity). A platform operator's suspension stops what
reaches this service without a user's token, the company's ingest keys, as the gateway stops
its users' tokens; reactivation lets them work again."""

from uuid import UUID

from common.db import UnitOfWork
from common.errors import Forbidden
from contracts.envelope import Envelope
from contracts.identity import CompanyStatusChanged
from tickets.companies.repository import CompanyStandingRepository

SUSPENDED = "suspended"


class SuspendedCompany(Forbidden):
    title, type_slug = "Company suspended", "company-suspended"


SUSPENDED_DETAIL = "This company's account is suspended: its ingest keys are refused until it is reactivated."


async def record_status(uow: UnitOfWork, change: CompanyStatusChanged, envelope: Envelope) -> None:
    if envelope.company_id != change.company_id:
        # The transaction is bound to the envelope's company; another one's row is not ours.
        return
    await CompanyStandingRepository(uow.session, change.company_id).put(
        status=change.status, changed_at=envelope.occurred_at
    )


async def is_suspended(uow: UnitOfWork, company_id: UUID) -> bool:
    return await CompanyStandingRepository(uow.session, company_id).status() == SUSPENDED


async def ensure_not_suspended(uow: UnitOfWork, company_id: UUID) -> None:
    """The problem (403) for a suspended company; nothing otherwise."""
    if await is_suspended(uow, company_id):
        raise SuspendedCompany(SUSPENDED_DETAIL)
