"""The per-company signing secret: created on first use, rotated by an admin with a grace
period during which calls carry both signatures."""

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from actions.models import CompanySecret
from actions.signing.repository import SigningSecretRepository
from actions.signing.schemas import SigningSecretRead
from actions.signing.webhooks import generate_secret


async def _current(session: AsyncSession, company_id: UUID) -> CompanySecret:
    row = await SigningSecretRepository(session, company_id).get()
    if row is None:
        await SigningSecretRepository(session, company_id).insert_if_missing(generate_secret())
        row = await SigningSecretRepository(session, company_id).get()
    assert row is not None
    return row


async def signing_secrets(session: AsyncSession, company_id: UUID) -> list[str]:
    """The secrets an outbound call is signed with, the current one first."""
    row = await _current(session, company_id)
    secrets = [row.secret]
    if row.previous_secret and row.previous_valid_until and row.previous_valid_until > datetime.now(UTC):
        secrets.append(row.previous_secret)
    return secrets


def _read(row: CompanySecret) -> SigningSecretRead:
    still_valid = row.previous_valid_until is not None and row.previous_valid_until > datetime.now(UTC)
    return SigningSecretRead(
        secret=row.secret,
        previous_secret=row.previous_secret if still_valid else None,
        previous_valid_until=row.previous_valid_until if still_valid else None,
        rotated_at=row.updated_at,
    )


async def get_signing_secret(session: AsyncSession, company_id: UUID) -> SigningSecretRead:
    return _read(await _current(session, company_id))


async def rotate_signing_secret(
    session: AsyncSession, company_id: UUID, grace: timedelta
) -> SigningSecretRead:
    await _current(session, company_id)
    row = await SigningSecretRepository(session, company_id).get(for_update=True)
    assert row is not None
    row = await SigningSecretRepository(session, company_id).replace(
        row, generate_secret(), datetime.now(UTC) + grace
    )
    return _read(row)
