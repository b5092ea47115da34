"""SQL for companies: the tenant's own row and its counts, and the platform operators' view of
every company."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, text, update

from common.repository import CompanyRepository, SystemRepository
from identity.models import Company, CompanyRole, RefreshToken, User


@dataclass(frozen=True)
class CompanyCounts:
    users: int
    active_users: int
    admins: int
    company_roles: int


class CompaniesRepository(CompanyRepository[Company]):
    """The company's own row."""

    model = Company

    def add(self, company: Company) -> None:
        self.session.add(company)

    async def name(self) -> str | None:
        return await self.session.scalar(self.select().with_only_columns(Company.name))

    async def get(self, *, for_update: bool = False) -> Company | None:
        return await self.find(for_update=for_update)

    async def counts(self) -> CompanyCounts:
        users, active, admins = (
            await self.session.execute(
                select(
                    func.count(),
                    func.count().filter(User.is_active),
                    func.count().filter(User.is_active, User.system_roles.any_() == "admin"),
                ).where(self.owned(User))
            )
        ).one()
        roles = await self.session.scalar(
            select(func.count()).select_from(CompanyRole).where(self.owned(CompanyRole))
        )
        return CompanyCounts(int(users), int(active), int(admins), int(roles or 0))

    async def revoke_all_sessions(self) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(self.owned(RefreshToken), RefreshToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )


class PlatformCompaniesRepository(SystemRepository):
    """Every company, for the platform's operators: only the `companies` rows, which a second
    policy opens to a transaction that declared itself an operator's."""

    async def declare_platform_operator(self) -> None:
        await self.session.execute(text("SELECT set_config('app.platform_operator', 'on', true)"))

    async def search(
        self, q: str | None, status: str | None, offset: int, limit: int
    ) -> tuple[list[Company], int]:
        """Every company by name (after `declare_platform_operator`)."""
        conditions: list[ColumnElement[bool]] = []
        if q:
            pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            conditions.append(Company.name.ilike(pattern, escape="\\"))
        if status:
            conditions.append(Company.status == status)
        total = await self.session.scalar(select(func.count()).select_from(Company).where(*conditions))
        rows = await self.session.scalars(
            select(Company)
            .where(*conditions)
            .order_by(func.lower(Company.name), Company.company_id)
            .offset(offset)
            .limit(limit)
        )
        return list(rows), int(total or 0)
