"""SQL for notifications, preferences and the requesters of tickets; every statement is scoped
to one company and, for a user's own rows, to that user."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ARRAY, String, Uuid, and_, bindparam, column, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import Notification, NotificationPreference, NotificationTicket, User


async def add_ticket(
    session: AsyncSession,
    company_id: UUID,
    ticket_id: UUID,
    number: str,
    title: str,
    submitted_by: UUID | None,
) -> None:
    await session.execute(
        insert(NotificationTicket)
        .values(
            company_id=company_id, ticket_id=ticket_id, number=number, title=title, submitted_by=submitted_by
        )
        .on_conflict_do_nothing()
    )


async def ticket(session: AsyncSession, company_id: UUID, ticket_id: UUID) -> NotificationTicket | None:
    return await session.scalar(
        select(NotificationTicket).where(
            NotificationTicket.company_id == company_id, NotificationTicket.ticket_id == ticket_id
        )
    )


@dataclass(frozen=True)
class Recipient:
    user: User
    in_app: bool
    email: bool


async def recipients(
    session: AsyncSession, company_id: UUID, wanted: Sequence[tuple[UUID, str]]
) -> list[Recipient]:
    """The active users among `wanted` (user id, notification kind), each with their choice for
    that kind (the defaults, in the app and no email, when they made none)."""
    if not wanted:
        return []
    # From two arrays rather than a VALUES list: one statement text whatever the number of
    # people, compiled once per process instead of once per event.
    asked = (
        func.unnest(
            bindparam("user_ids", [user_id for user_id, _ in wanted], type_=ARRAY(Uuid)),
            bindparam("kinds", [kind for _, kind in wanted], type_=ARRAY(String)),
        )
        .table_valued(column("user_id", Uuid), column("kind", String))
        .render_derived(name="asked")
    )
    rows = await session.execute(
        select(User, NotificationPreference.in_app, NotificationPreference.email)
        .join(asked, asked.c.user_id == User.id)
        .outerjoin(
            NotificationPreference,
            and_(
                NotificationPreference.company_id == User.company_id,
                NotificationPreference.user_id == User.id,
                NotificationPreference.kind == asked.c.kind,
            ),
        )
        .where(User.company_id == company_id, User.is_active)
        .order_by(User.id)
    )
    return [
        Recipient(user, in_app if in_app is not None else True, email if email is not None else False)
        for user, in_app, email in rows
    ]


async def active_users_with_roles(
    session: AsyncSession, company_id: UUID, roles: Sequence[str]
) -> list[User]:
    rows = await session.scalars(
        select(User)
        .where(
            User.company_id == company_id,
            User.is_active,
            or_(*(User.system_roles.any_() == role for role in roles)),
        )
        .order_by(User.id)
    )
    return list(rows)


async def preferences_of(
    session: AsyncSession, company_id: UUID, user_ids: Sequence[UUID]
) -> list[NotificationPreference]:
    if not user_ids:
        return []
    rows = await session.scalars(
        select(NotificationPreference).where(
            NotificationPreference.company_id == company_id, NotificationPreference.user_id.in_(user_ids)
        )
    )
    return list(rows)


async def put_preference(
    session: AsyncSession, company_id: UUID, user_id: UUID, kind: str, in_app: bool, email: bool
) -> None:
    await session.execute(
        insert(NotificationPreference)
        .values(company_id=company_id, user_id=user_id, kind=kind, in_app=in_app, email=email)
        .on_conflict_do_update(
            index_elements=["company_id", "user_id", "kind"],
            set_={"in_app": in_app, "email": email, "updated_at": func.now()},
        )
    )


async def add_notifications(session: AsyncSession, rows: Sequence[dict[str, object]]) -> set[UUID]:
    """Insert them in one statement; the users whose notification was new (a user who already
    has the notification of that event is left out)."""
    if not rows:
        return set()
    # Rows as parameters of one statement (a multi-row VALUES would be compiled again for
    # every event).
    added = await session.scalars(
        insert(Notification).on_conflict_do_nothing().returning(Notification.user_id), list(rows)
    )
    return set(added)


async def page(
    session: AsyncSession, company_id: UUID, user_id: UUID, unread_only: bool, offset: int, limit: int
) -> tuple[list[Notification], int]:
    conditions = [Notification.company_id == company_id, Notification.user_id == user_id]
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    total = await session.scalar(select(func.count()).select_from(Notification).where(*conditions))
    rows = await session.scalars(
        select(Notification).where(*conditions).order_by(Notification.id.desc()).offset(offset).limit(limit)
    )
    return list(rows), int(total or 0)


async def summary(
    session: AsyncSession, company_id: UUID, user_id: UUID
) -> tuple[int, UUID | None, datetime | None]:
    """Unread count, newest id, and the last time one was read (all three make the ETag)."""
    mine = (Notification.company_id == company_id) & (Notification.user_id == user_id)
    # Ids are UUIDv7, so the greatest is the newest (Postgres has no max() over uuid).
    latest = select(Notification.id).where(mine).order_by(Notification.id.desc()).limit(1).scalar_subquery()
    row = (
        await session.execute(
            select(
                func.count().filter(Notification.read_at.is_(None)),
                latest,
                func.max(Notification.read_at),
            ).where(mine)
        )
    ).one()
    return int(row[0] or 0), row[1], row[2]


async def mark_read(
    session: AsyncSession, company_id: UUID, user_id: UUID, notification_id: UUID | None, at: datetime
) -> int:
    """Mark one (or, with None, every) unread notification of the user read; how many changed."""
    stmt = (
        update(Notification)
        .where(
            Notification.company_id == company_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=at)
    )
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    result = await session.execute(stmt)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def get(
    session: AsyncSession, company_id: UUID, user_id: UUID, notification_id: UUID
) -> Notification | None:
    return await session.scalar(
        select(Notification).where(
            Notification.company_id == company_id,
            Notification.user_id == user_id,
            Notification.id == notification_id,
        )
    )
