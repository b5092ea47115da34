"""The ticket types this service knows: its own copy of published ticket definitions, and who
may submit which."""

import asyncio
import time
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from jsonschema import Draft202012Validator, SchemaError

from common.consumer import PoisonMessage
from common.db import UnitOfWork
from common.errors import Forbidden, ValidationProblem
from contracts.definitions import TicketDefinitionPublished
from tickets.models import TicketType
from tickets.ticket_type.repository import TicketTypeRepository


def may_submit(company_role_access: Iterable[str], company_roles: Iterable[str]) -> bool:
    """A user may submit a type when they hold any of the company roles it grants."""
    return not set(company_role_access).isdisjoint(company_roles)


def _company(uow: UnitOfWork) -> UUID:
    if uow.company_id is None:
        raise PoisonMessage("a company event without a company")
    return uow.company_id


async def record_published(uow: UnitOfWork, published: TicketDefinitionPublished) -> None:
    try:
        Draft202012Validator.check_schema(published.fields)
    except SchemaError as exc:
        raise PoisonMessage(
            f"ticket definition {published.key} v{published.version} has an invalid field schema: "
            f"{exc.message}"
        ) from exc
    await TicketTypeRepository(uow.session, _company(uow)).add_version(published)


async def record_archived(uow: UnitOfWork, key: str, at: datetime) -> None:
    await TicketTypeRepository(uow.session, _company(uow)).archive(key, at)


async def list_submittable(uow: UnitOfWork, company_id: UUID, company_roles: list[str]) -> list[TicketType]:
    types = await TicketTypeRepository(uow.session, company_id).list_current()
    return [t for t in types if may_submit(t.company_role_access, company_roles)]


NEW_TYPE_POLL_SECONDS = 0.1


async def _current_or_wait(
    repository: TicketTypeRepository, key: str, wait_seconds: float
) -> TicketType | None:
    """The current version of `key`, waiting up to `wait_seconds` for it to arrive.

    This service learns of a type from `definitions.events`, a moment after the upload that
    published it answered: a submission made right after an upload would otherwise be told
    the type does not exist. Each read is its own statement under READ COMMITTED, so it sees
    a type the consumer committed meanwhile."""
    deadline = time.monotonic() + wait_seconds
    while True:
        ticket_type = await repository.current(key)
        if ticket_type is not None or time.monotonic() >= deadline:
            return ticket_type
        await asyncio.sleep(min(NEW_TYPE_POLL_SECONDS, max(0.0, deadline - time.monotonic())))


async def resolve_for_submit(
    uow: UnitOfWork,
    company_id: UUID,
    key: str,
    company_roles: list[str] | None,
    *,
    wait_seconds: float = 0.0,
) -> TicketType:
    """The current version of `key`. `company_roles` None means the submitter is authorised by
    other means (an ingest key), so only existence is checked. `wait_seconds`: how long an
    unknown key may be waited for (a type published a moment ago)."""
    repository = TicketTypeRepository(uow.session, company_id)
    ticket_type = await _current_or_wait(repository, key, wait_seconds)
    if ticket_type is None:
        raise ValidationProblem(
            f"There is no ticket type {key!r}.",
            errors=[
                {
                    "loc": ["body", "ticket_type_key"],
                    "msg": "unknown ticket type",
                    "type": "unknown_ticket_type",
                }
            ],
        )
    if company_roles is not None and not may_submit(ticket_type.company_role_access, company_roles):
        raise Forbidden(f"You may not submit tickets of type {key!r}.")
    return ticket_type
