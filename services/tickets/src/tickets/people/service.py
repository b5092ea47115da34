"""The people this service shows by name, kept from identity's user events (event-carried
state: the tickets service never asks identity who a user id is)."""

from collections.abc import Iterable
from uuid import UUID

from common.db import UnitOfWork
from contracts.envelope import Envelope
from contracts.identity import UserState
from tickets.people.repository import PeopleRepository


async def record_user(uow: UnitOfWork, user: UserState, envelope: Envelope) -> None:
    if envelope.company_id is None:
        return
    await PeopleRepository(uow.session, envelope.company_id).put(
        user.user_id, display_name=user.display_name, email=user.email, changed_at=envelope.occurred_at
    )


async def names(uow: UnitOfWork, company_id: UUID, user_ids: Iterable[UUID | None]) -> dict[UUID, str]:
    """Display names of the given users; a user identity has not told about yet is left out."""
    return await PeopleRepository(uow.session, company_id).names(user_ids)
