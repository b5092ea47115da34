from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request, status

from common.auth import AdminClaims
from common.web import Page, PageDep, UoW
from tickets.config import TicketsSettings
from tickets.ingest import service
from tickets.ingest.schemas import InboundRejectionRead, IngestKeyCreate, IngestKeyRead, IngestKeySecret

keys_router = APIRouter(prefix="/api/tickets/ingest-keys", tags=["ingest keys"])
rejections_router = APIRouter(prefix="/api/tickets/inbound-rejections", tags=["ingest keys"])


async def get_key_policy(request: Request) -> service.KeyPolicy:
    settings: TicketsSettings = request.app.state.settings
    return service.KeyPolicy.from_settings(settings)


KeyPolicyDep = Annotated[service.KeyPolicy, Depends(get_key_policy)]


@keys_router.post("", status_code=status.HTTP_201_CREATED)
async def create_ingest_key(
    body: IngestKeyCreate, uow: UoW, claims: AdminClaims, policy: KeyPolicyDep
) -> IngestKeySecret:
    """Create a key external systems sign `tickets.inbound` messages with (admin). The secret
    is in this answer only; it is not stored and cannot be shown again."""
    return await service.create_key(uow, claims, policy, body.name)


@keys_router.get("")
async def list_ingest_keys(uow: UoW, claims: AdminClaims) -> list[IngestKeyRead]:
    """The company's ingest keys, without secrets (admin)."""
    return await service.list_keys(uow, claims)


@keys_router.post("/{key_id}/rotate")
async def rotate_ingest_key(
    key_id: UUID, uow: UoW, claims: AdminClaims, policy: KeyPolicyDep
) -> IngestKeySecret:
    """Issue a new secret for the key (admin). The previous secret keeps working for the
    configured grace period (`TICKETS_INGEST_ROTATION_GRACE_SECONDS`)."""
    return await service.rotate_key(uow, claims, policy, key_id)


@keys_router.post("/{key_id}/revoke")
async def revoke_ingest_key(key_id: UUID, uow: UoW, claims: AdminClaims) -> IngestKeyRead:
    """Revoke the key at once (admin): messages signed with it are refused from now on."""
    return await service.revoke_key(uow, claims, key_id)


@rejections_router.get("")
async def list_inbound_rejections(uow: UoW, claims: AdminClaims, page: PageDep) -> Page[InboundRejectionRead]:
    """External ticket events of the company that were refused and dead-lettered, newest
    first, with the reason (admin)."""
    return await service.list_rejections(uow, claims, page)
