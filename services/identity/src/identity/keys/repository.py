from datetime import datetime

from sqlalchemy import delete, select, text, update

from common.repository import SystemRepository
from identity.models import SigningKey

# Two replicas starting on an empty table must not both create a first key.
_KEY_CREATION_LOCK = 0x1D_5167


class SigningKeyRepository(SystemRepository):
    """The keys identity signs tokens with: the system's, no company's."""

    async def lock_key_creation(self) -> None:
        await self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _KEY_CREATION_LOCK})

    async def published_keys(self, retired_after: datetime) -> list[SigningKey]:
        """Active keys and those retired recently enough that tokens they signed may be alive,
        newest first."""
        rows = await self.session.scalars(
            select(SigningKey)
            .where((SigningKey.retired_at.is_(None)) | (SigningKey.retired_at > retired_after))
            .order_by(SigningKey.created_at.desc(), SigningKey.kid.desc())
        )
        return list(rows)

    def add(self, key: SigningKey) -> None:
        self.session.add(key)

    async def retire_active(self, except_kid: str, at: datetime) -> None:
        await self.session.execute(
            update(SigningKey)
            .where(SigningKey.retired_at.is_(None), SigningKey.kid != except_kid)
            .values(retired_at=at)
        )

    async def delete_retired_before(self, before: datetime) -> None:
        await self.session.execute(delete(SigningKey).where(SigningKey.retired_at < before))
