from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from tickets.models import Attachment


class AttachmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest_version(self, company_id: UUID, ticket_id: UUID, filename: str) -> int:
        version = await self.session.scalar(
            select(func.max(Attachment.version)).where(
                Attachment.company_id == company_id,
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

    async def get(self, company_id: UUID, ticket_id: UUID, attachment_id: UUID) -> Attachment | None:
        return await self.session.scalar(
            select(Attachment).where(
                Attachment.company_id == company_id,
                Attachment.ticket_id == ticket_id,
                Attachment.id == attachment_id,
            )
        )

    async def for_ticket(self, company_id: UUID, ticket_id: UUID) -> list[Attachment]:
        rows = await self.session.scalars(
            select(Attachment)
            .where(Attachment.company_id == company_id, Attachment.ticket_id == ticket_id)
            .order_by(Attachment.filename, Attachment.version)
        )
        return list(rows)
