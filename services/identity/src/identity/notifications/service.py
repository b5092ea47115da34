"""A user's own notifications and preferences: nothing here reads or changes anyone else's."""

import hashlib
from datetime import UTC, datetime
from uuid import UUID

from common.auth import Claims
from common.db import UnitOfWork
from common.errors import NotFound
from common.web import Page, PageParams
from identity.notifications import repository
from identity.notifications.schemas import (
    KIND_LABELS,
    MarkedRead,
    NotificationKind,
    NotificationRead,
    NotificationSummary,
    PreferenceRead,
    PreferencesUpdate,
)


async def list_notifications(
    uow: UnitOfWork, claims: Claims, unread_only: bool, page: PageParams
) -> Page[NotificationRead]:
    rows, total = await repository.page(
        uow.session, claims.company_id, claims.user_id, unread_only, page.offset, page.page_size
    )
    return Page(
        items=[NotificationRead.model_validate(r) for r in rows],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )


async def summary(uow: UnitOfWork, claims: Claims) -> tuple[NotificationSummary, str]:
    """The unread count and newest id, with an ETag that changes when either does or when
    something is read, so a poll with `If-None-Match` is answered 304 while nothing changed."""
    unread, latest, last_read = await repository.summary(uow.session, claims.company_id, claims.user_id)
    tag = f"{claims.user_id}:{unread}:{latest}:{last_read.isoformat() if last_read else ''}"
    etag = '"' + hashlib.sha256(tag.encode()).hexdigest()[:32] + '"'
    return NotificationSummary(unread=unread, latest_id=latest), etag


async def mark_read(uow: UnitOfWork, claims: Claims, notification_id: UUID) -> NotificationRead:
    found = await repository.get(uow.session, claims.company_id, claims.user_id, notification_id)
    # Another user's notification answers exactly like a missing one.
    if found is None:
        raise NotFound("No such notification.")
    if found.read_at is None:
        found.read_at = datetime.now(UTC)
        await uow.session.flush()
    return NotificationRead.model_validate(found)


async def mark_all_read(uow: UnitOfWork, claims: Claims) -> MarkedRead:
    marked = await repository.mark_read(
        uow.session, claims.company_id, claims.user_id, None, datetime.now(UTC)
    )
    return MarkedRead(marked=marked)


async def preferences(uow: UnitOfWork, claims: Claims) -> list[PreferenceRead]:
    chosen = {
        p.kind: p for p in await repository.preferences_of(uow.session, claims.company_id, [claims.user_id])
    }
    answer = []
    for kind in NotificationKind:
        preference = chosen.get(kind.value)
        answer.append(
            PreferenceRead(
                kind=kind,
                label=KIND_LABELS[kind],
                in_app=preference.in_app if preference is not None else True,
                email=preference.email if preference is not None else False,
            )
        )
    return answer


async def update_preferences(
    uow: UnitOfWork, claims: Claims, changes: PreferencesUpdate
) -> list[PreferenceRead]:
    for change in changes.preferences:
        await repository.put_preference(
            uow.session, claims.company_id, claims.user_id, change.kind.value, change.in_app, change.email
        )
    return await preferences(uow, claims)
