"""SQL for users, their company roles and their login identities."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository, SystemRepository
from identity.models import CompanyRole, LoginIdentity, User, UserCompanyRole


class UserRepository(CompanyRepository[User]):
    model = User

    async def get(self, user_id: UUID, *, for_update: bool = False) -> User | None:
        return await self.find(User.id == user_id, for_update=for_update)

    def add(self, user: User) -> None:
        self.session.add(user)

    async def search(self, q: str | None, offset: int, limit: int) -> tuple[list[User], int]:
        stmt = self.select()
        if q:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            stmt = stmt.where(
                or_(
                    User.email.ilike(pattern, escape="\\"),
                    User.first_name.ilike(pattern, escape="\\"),
                    User.last_name.ilike(pattern, escape="\\"),
                    (User.first_name + " " + User.last_name).ilike(pattern, escape="\\"),
                )
            )
        stmt = stmt.order_by(User.last_name, User.first_name, User.id)
        return await self.paged(stmt, offset=offset, limit=limit)

    async def count_active_admins(self) -> int:
        total = await self.session.scalar(
            select(func.count())
            .select_from(User)
            .where(self.owned(), User.is_active, User.system_roles.any_() == "admin")
        )
        return int(total or 0)

    async def company_role_names(self, user_ids: Sequence[UUID]) -> dict[UUID, list[str]]:
        names: dict[UUID, list[str]] = {user_id: [] for user_id in user_ids}
        if not user_ids:
            return names
        rows = await self.session.execute(
            select(UserCompanyRole.user_id, CompanyRole.name)
            .join(
                CompanyRole,
                (CompanyRole.company_id == UserCompanyRole.company_id)
                & (CompanyRole.id == UserCompanyRole.company_role_id),
            )
            .where(self.owned(UserCompanyRole), UserCompanyRole.user_id.in_(user_ids))
            .order_by(CompanyRole.name)
        )
        for user_id, name in rows:
            names[user_id].append(name)
        return names

    async def users_with_company_role(self, role_id: UUID) -> list[UUID]:
        rows = await self.session.scalars(
            select(UserCompanyRole.user_id).where(
                self.owned(UserCompanyRole), UserCompanyRole.company_role_id == role_id
            )
        )
        return list(rows)

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User]:
        if not user_ids:
            return []
        return list(await self.session.scalars(self.select(User.id.in_(user_ids))))

    async def replace_company_roles(self, user_id: UUID, role_ids: Sequence[UUID]) -> None:
        await self.session.execute(
            delete(UserCompanyRole).where(self.owned(UserCompanyRole), UserCompanyRole.user_id == user_id)
        )
        if role_ids:
            await self.session.execute(
                insert(UserCompanyRole).values(
                    [
                        {"company_id": self.company_id, "user_id": user_id, "company_role_id": r}
                        for r in role_ids
                    ]
                )
            )

    async def claim_login(self, email_key: str, user_id: UUID) -> bool:
        """Reserve an email for a user of this company; False when any company's user already
        has it."""
        claimed = await self.session.scalar(
            insert(LoginIdentity)
            .values(email_lower=email_key, company_id=self.company_id, user_id=user_id)
            .on_conflict_do_nothing()
            .returning(LoginIdentity.email_lower)
        )
        return claimed is not None

    async def release_login(self, email_key: str, user_id: UUID) -> None:
        await self.session.execute(
            delete(LoginIdentity).where(
                LoginIdentity.email_lower == email_key,
                self.owned(LoginIdentity),
                LoginIdentity.user_id == user_id,
            )
        )


class LoginIdentityRepository(SystemRepository):
    """Which company's user an email belongs to, asked before any company is known."""

    async def find_login(self, email_key: str) -> LoginIdentity | None:
        return await self.session.get(LoginIdentity, email_key)
