"""Ingest keys (created, rotated and revoked by the company admin) and what is known about the
external ticket events that were refused."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from common.auth import Claims
from common.db import UnitOfWork
from common.errors import Conflict, NotFound
from common.web import Page, PageParams
from contracts.ids import uuid7
from tickets.companies import service as companies
from tickets.config import TicketsSettings
from tickets.ingest.repository import InboundRejectionRepository, IngestKeyRepository
from tickets.ingest.schemas import InboundRejectionRead, IngestKeyRead, IngestKeySecret
from tickets.ingest.signing import derive_secret, fingerprint
from tickets.models import IngestKey


@dataclass(frozen=True)
class KeyPolicy:
    server_secret: str
    rotation_grace: timedelta

    @classmethod
    def from_settings(cls, settings: TicketsSettings) -> "KeyPolicy":
        return cls(
            server_secret=settings.ingest_secret.get_secret_value(),
            rotation_grace=timedelta(seconds=settings.ingest_rotation_grace_seconds),
        )


def _with_secret(key: IngestKey, secret: str) -> IngestKeySecret:
    return IngestKeySecret(**IngestKeyRead.model_validate(key).model_dump(), secret=secret)


async def create_key(uow: UnitOfWork, claims: Claims, policy: KeyPolicy, name: str) -> IngestKeySecret:
    """A new key. A suspended company gets none, nor a new secret by rotation: its keys are
    refused while it is suspended (the gateway refuses its users' tokens too; this does not
    depend on it)."""
    await companies.ensure_not_suspended(uow, claims.company_id)
    key_id = uuid7()
    secret = derive_secret(policy.server_secret, claims.company_id, key_id, 1)
    key = await IngestKeyRepository(uow.session, claims.company_id).add(
        IngestKey(
            company_id=claims.company_id,
            id=key_id,
            name=name.strip(),
            generation=1,
            secret_fingerprint=fingerprint(secret),
            created_by=claims.user_id,
        )
    )
    return _with_secret(key, secret)


async def _key(uow: UnitOfWork, company_id: UUID, key_id: UUID) -> IngestKey:
    key = await IngestKeyRepository(uow.session, company_id).get(key_id, for_update=True)
    if key is None:
        raise NotFound("There is no such ingest key.")
    return key


async def rotate_key(uow: UnitOfWork, claims: Claims, policy: KeyPolicy, key_id: UUID) -> IngestKeySecret:
    """A new secret for the key. The previous one keeps verifying for the grace period, so
    senders can switch without losing messages."""
    await companies.ensure_not_suspended(uow, claims.company_id)
    key = await _key(uow, claims.company_id, key_id)
    if key.revoked_at is not None:
        raise Conflict("A revoked key cannot be rotated.")
    now = datetime.now(UTC)
    key.generation += 1
    secret = derive_secret(policy.server_secret, claims.company_id, key.id, key.generation)
    key.secret_fingerprint = fingerprint(secret)
    key.rotated_at = now
    key.previous_valid_until = now + policy.rotation_grace
    return _with_secret(await IngestKeyRepository(uow.session, key.company_id).save(key), secret)


async def revoke_key(uow: UnitOfWork, claims: Claims, key_id: UUID) -> IngestKeyRead:
    key = await _key(uow, claims.company_id, key_id)
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        key.previous_valid_until = None
        key = await IngestKeyRepository(uow.session, key.company_id).save(key)
    return IngestKeyRead.model_validate(key)


async def list_keys(uow: UnitOfWork, claims: Claims) -> list[IngestKeyRead]:
    keys = await IngestKeyRepository(uow.session, claims.company_id).for_company()
    return [IngestKeyRead.model_validate(k) for k in keys]


def accepted_secrets(key: IngestKey, policy: KeyPolicy, now: datetime) -> list[str]:
    """The secrets a message signed with this key may use right now."""
    if key.revoked_at is not None:
        return []
    secrets = [derive_secret(policy.server_secret, key.company_id, key.id, key.generation)]
    if key.generation > 1 and key.previous_valid_until is not None and now < key.previous_valid_until:
        secrets.append(derive_secret(policy.server_secret, key.company_id, key.id, key.generation - 1))
    return secrets


async def company_of_key(uow: UnitOfWork, key_id: UUID) -> UUID | None:
    return await IngestKeyRepository.company_of(uow.session, key_id)


async def signing_key(uow: UnitOfWork, company_id: UUID, key_id: UUID) -> IngestKey | None:
    return await IngestKeyRepository(uow.session, company_id).get(key_id)


async def mark_used(uow: UnitOfWork, key: IngestKey) -> None:
    key.last_used_at = datetime.now(UTC)
    await uow.session.flush()


async def list_rejections(uow: UnitOfWork, claims: Claims, page: PageParams) -> Page[InboundRejectionRead]:
    rows, total = await InboundRejectionRepository(uow.session, claims.company_id).page(
        offset=page.offset, limit=page.page_size
    )
    return Page(
        items=[InboundRejectionRead.model_validate(r) for r in rows],
        total=total,
        page=page.page,
        page_size=page.page_size,
    )
