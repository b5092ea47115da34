from common.repository import CompanyRepository
from identity.models import Company


class CompaniesRepository(CompanyRepository[Company]):
    """The company's own row."""

    model = Company

    def add(self, company: Company) -> None:
        self.session.add(company)

    async def name(self) -> str | None:
        return await self.session.scalar(self.select().with_only_columns(Company.name))
