"""The ticket types this service knows: its own copy of published ticket definitions, and who
may submit which."""

import asyncio
import time
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from jsonschema import Draft202012Validator, SchemaError
from sqlalchemy import inspect

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


class CurrentTypes:
    """The current version of each ticket type a submit asked for, per process, for a short
    while: a submit then reads no type at all. Published versions never change, so a cached
    one is only ever stale by no longer being the current one; the submit statement checks
    that itself (and the submit asks again here with `fresh`), and this process's own
    definition events drop the key after they commit. Bounded: the oldest entries go first."""

    def __init__(self, ttl_seconds: float = 30.0, max_entries: int = 4096) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._types: dict[tuple[UUID, str], tuple[float, TicketType]] = {}

    def get(self, company_id: UUID, key: str) -> TicketType | None:
        entry = self._types.get((company_id, key))
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry[1]

    def put(self, company_id: UUID, ticket_type: TicketType) -> None:
        if len(self._types) >= self.max_entries:
            now = time.monotonic()
            self._types = {k: v for k, v in self._types.items() if v[0] >= now}
            while len(self._types) >= self.max_entries:
                del self._types[next(iter(self._types))]
        self._types[(company_id, ticket_type.key)] = (time.monotonic() + self.ttl_seconds, ticket_type)

    def forget(self, company_id: UUID, key: str) -> None:
        self._types.pop((company_id, key), None)


CURRENT_TYPES = CurrentTypes()


def _detached_copy(ticket_type: TicketType) -> TicketType:
    """A copy in no session: the loaded instance is expired when its session rolls back,
    which would leave the cache holding attributes that can no longer be read."""
    return TicketType(**{a.key: getattr(ticket_type, a.key) for a in inspect(TicketType).column_attrs})


def _forget_after_commit(uow: UnitOfWork, company_id: UUID, key: str) -> None:
    CURRENT_TYPES.forget(company_id, key)
    uow.after_commit(lambda: CURRENT_TYPES.forget(company_id, key))


async def record_published(uow: UnitOfWork, published: TicketDefinitionPublished) -> None:
    try:
        Draft202012Validator.check_schema(published.fields)
    except SchemaError as exc:
        raise PoisonMessage(
            f"ticket definition {published.key} v{published.version} has an invalid field schema: "
            f"{exc.message}"
        ) from exc
    company_id = _company(uow)
    await TicketTypeRepository(uow.session, company_id).add_version(published)
    _forget_after_commit(uow, company_id, published.key)


async def record_archived(uow: UnitOfWork, key: str, at: datetime) -> None:
    company_id = _company(uow)
    await TicketTypeRepository(uow.session, company_id).archive(key, at)
    _forget_after_commit(uow, company_id, key)


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
    fresh: bool = False,
) -> TicketType:
    """The current version of `key`, as this process last saw it unless `fresh` (whoever
    writes with it checks it is still current). `company_roles` None means the submitter is
    authorised by other means (an ingest key), so only existence is checked. `wait_seconds`:
    how long an unknown key may be waited for (a type published a moment ago)."""
    ticket_type = None if fresh else CURRENT_TYPES.get(company_id, key)
    if ticket_type is None:
        repository = TicketTypeRepository(uow.session, company_id)
        ticket_type = await _current_or_wait(repository, key, wait_seconds)
        if ticket_type is not None:
            ticket_type = _detached_copy(ticket_type)
            CURRENT_TYPES.put(company_id, ticket_type)
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
