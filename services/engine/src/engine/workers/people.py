"""People by name where the engine's answers name them (assignees, who changed an instance):
the display names identity's user events carry, kept in the roster for every user."""

from collections.abc import Iterable, Sequence
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from engine.workers.repository import WorkerRepository
from engine.workflows.schemas import HistoryEntryRead


def _user_id(entry: HistoryEntryRead) -> UUID | None:
    if entry.actor_kind != "user" or not entry.actor_id:
        return None
    try:
        return UUID(entry.actor_id)
    except ValueError:
        return None


async def display_names(
    session: AsyncSession, company_id: UUID, user_ids: Iterable[UUID | None]
) -> dict[UUID, str]:
    return await WorkerRepository(session, company_id).names({u for u in user_ids if u is not None})


async def with_actor_names(
    session: AsyncSession,
    company_id: UUID,
    entries: Sequence[HistoryEntryRead],
    known: dict[UUID, str] | None = None,
) -> list[HistoryEntryRead]:
    """The entries with their user actors named (`known` names are not looked up again)."""
    names = dict(known or {})
    missing = {u for u in map(_user_id, entries) if u is not None and u not in names}
    names.update(await display_names(session, company_id, missing))
    named = []
    for entry in entries:
        user_id = _user_id(entry)
        named.append(entry.model_copy(update={"actor_name": names.get(user_id)}) if user_id else entry)
    return named
