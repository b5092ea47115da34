from uuid import UUID

from sqlalchemy import func, select

from common.repository import CompanyRepository
from tickets.models import Attachment


class AttachmentRepository(CompanyRepository[Attachment]):
    model = Attachment

    async def latest_version(self, ticket_id: UUID, filename: str) -> int:
        version = await self.session.scalar(
            select(func.max(Attachment.version)).where(
                self.owned(),
                Attachment.ticket_id == ticket_id,
                Attachment.filename == filename,
            )
        )
        return int(version or 0)

    async def add(self, attachment: Attachment) -> Attachment:
        self.session.add(attachment)
        await self.session.flush()
        await self.session.refresh(attachment)
        return attachment

    async def get(self, ticket_id: UUID, attachment_id: UUID) -> Attachment | None:
        return await self.find(Attachment.ticket_id == ticket_id, Attachment.id == attachment_id)

    async def for_ticket(self, ticket_id: UUID) -> list[Attachment]:
        rows = await self.session.scalars(
            self.select(Attachment.ticket_id == ticket_id).order_by(Attachment.filename, Attachment.version)
        )
        return list(rows)
