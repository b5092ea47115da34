from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, func
from sqlalchemy.dialects.postgresql import insert

from common.repository import CompanyRepository
from contracts.ids import uuid7
from identity.models import CompanyRole, UserCompanyRole


class CompanyRoleRepository(CompanyRepository[CompanyRole]):
    model = CompanyRole

    async def list_all(self) -> list[CompanyRole]:
        rows = await self.session.scalars(
            self.select().order_by(CompanyRole.is_default.desc(), func.lower(CompanyRole.name))
        )
        return list(rows)

    async def get(self, role_id: UUID) -> CompanyRole | None:
        return await self.find(CompanyRole.id == role_id, for_update=True)

    async def by_names(self, names: Sequence[str]) -> list[CompanyRole]:
        if not names:
            return []
        rows = await self.session.scalars(
            self.select(func.lower(CompanyRole.name).in_([n.lower() for n in names]))
        )
        return list(rows)

    async def name_taken(self, name: str, except_id: UUID | None = None) -> bool:
        stmt = self.select(func.lower(CompanyRole.name) == name.lower()).with_only_columns(CompanyRole.id)
        if except_id is not None:
            stmt = stmt.where(CompanyRole.id != except_id)
        return (await self.session.scalar(stmt)) is not None

    async def insert_role(
        self, name: str, description: str, *, is_default: bool = False
    ) -> CompanyRole | None:
        """Insert a role; None when the company already has one of that name (case-insensitively)."""
        role_id = await self.session.scalar(
            insert(CompanyRole)
            .values(
                company_id=self.company_id,
                id=uuid7(),
                name=name,
                description=description,
                is_default=is_default,
            )
            .on_conflict_do_nothing()
            .returning(CompanyRole.id)
        )
        if role_id is None:
            return None
        return await self.get(role_id)

    async def remove(self, role: CompanyRole) -> None:
        """Delete a role: its holders lose it, its row stays (soft-deleted)."""
        await self.session.execute(
            delete(UserCompanyRole).where(
                self.owned(UserCompanyRole), UserCompanyRole.company_role_id == role.id
            )
        )
        await self.soft_delete(role)
        await self.session.flush()
