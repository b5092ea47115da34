"""SQL for users, their company roles and their login identities."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity.models import CompanyRole, LoginIdentity, User, UserCompanyRole


async def get(
    session: AsyncSession, company_id: UUID, user_id: UUID, *, for_update: bool = False
) -> User | None:
    stmt = select(User).where(User.company_id == company_id, User.id == user_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


def add(session: AsyncSession, user: User) -> None:
    session.add(user)


async def search(
    session: AsyncSession, company_id: UUID, q: str | None, offset: int, limit: int
) -> tuple[list[User], int]:
    condition = User.company_id == company_id
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        condition = condition & or_(
            User.email.ilike(pattern, escape="\\"),
            User.first_name.ilike(pattern, escape="\\"),
            User.last_name.ilike(pattern, escape="\\"),
            (User.first_name + " " + User.last_name).ilike(pattern, escape="\\"),
        )
    total = await session.scalar(select(func.count()).select_from(User).where(condition))
    rows = await session.scalars(
        select(User)
        .where(condition)
        .order_by(User.last_name, User.first_name, User.id)
        .offset(offset)
        .limit(limit)
    )
    return list(rows), int(total or 0)


async def count_active_admins(session: AsyncSession, company_id: UUID) -> int:
    total = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.company_id == company_id, User.is_active, User.system_roles.any_() == "admin")
    )
    return int(total or 0)


async def company_role_names(
    session: AsyncSession, company_id: UUID, user_ids: Sequence[UUID]
) -> dict[UUID, list[str]]:
    names: dict[UUID, list[str]] = {user_id: [] for user_id in user_ids}
    if not user_ids:
        return names
    rows = await session.execute(
        select(UserCompanyRole.user_id, CompanyRole.name)
        .join(
            CompanyRole,
            (CompanyRole.company_id == UserCompanyRole.company_id)
            & (CompanyRole.id == UserCompanyRole.company_role_id),
        )
        .where(UserCompanyRole.company_id == company_id, UserCompanyRole.user_id.in_(user_ids))
        .order_by(CompanyRole.name)
    )
    for user_id, name in rows:
        names[user_id].append(name)
    return names


async def users_with_company_role(session: AsyncSession, company_id: UUID, role_id: UUID) -> list[UUID]:
    rows = await session.scalars(
        select(UserCompanyRole.user_id).where(
            UserCompanyRole.company_id == company_id, UserCompanyRole.company_role_id == role_id
        )
    )
    return list(rows)


async def get_many(session: AsyncSession, company_id: UUID, user_ids: Sequence[UUID]) -> list[User]:
    if not user_ids:
        return []
    rows = await session.scalars(select(User).where(User.company_id == company_id, User.id.in_(user_ids)))
    return list(rows)


async def replace_company_roles(
    session: AsyncSession, company_id: UUID, user_id: UUID, role_ids: Sequence[UUID]
) -> None:
    await session.execute(
        delete(UserCompanyRole).where(
            UserCompanyRole.company_id == company_id, UserCompanyRole.user_id == user_id
        )
    )
    if role_ids:
        await session.execute(
            insert(UserCompanyRole).values(
                [{"company_id": company_id, "user_id": user_id, "company_role_id": r} for r in role_ids]
            )
        )


async def claim_login(session: AsyncSession, email_key: str, company_id: UUID, user_id: UUID) -> bool:
    """Reserve an email for a user; False when any company's user already has it."""
    claimed = await session.scalar(
        insert(LoginIdentity)
        .values(email_lower=email_key, company_id=company_id, user_id=user_id)
        .on_conflict_do_nothing()
        .returning(LoginIdentity.email_lower)
    )
    return claimed is not None


async def release_login(session: AsyncSession, email_key: str, company_id: UUID, user_id: UUID) -> None:
    await session.execute(
        delete(LoginIdentity).where(
            LoginIdentity.email_lower == email_key,
            LoginIdentity.company_id == company_id,
            LoginIdentity.user_id == user_id,
        )
    )


async def find_login(session: AsyncSession, email_key: str) -> LoginIdentity | None:
    return await session.get(LoginIdentity, email_key)
