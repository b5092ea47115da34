from datetime import timedelta

from fastapi import APIRouter

from actions.deps import SettingsDep
from actions.signing import service
from actions.signing.schemas import SigningSecretRead
from common.auth import AdminClaims
from common.web import UoW

router = APIRouter(prefix="/api/actions", tags=["signing"])


@router.get("/signing-secret", response_model=SigningSecretRead)
async def get_signing_secret(claims: AdminClaims, uow: UoW) -> SigningSecretRead:
    """The secret every outbound action call of the company is signed with, so receiving
    systems can verify the `webhook-signature` header (created on first use)."""
    return await service.get_signing_secret(uow.session, claims.company_id)


@router.post("/signing-secret/rotate", response_model=SigningSecretRead)
async def rotate_signing_secret(claims: AdminClaims, uow: UoW, settings: SettingsDep) -> SigningSecretRead:
    """Replace the signing secret. Calls carry signatures of both the new and the previous
    secret during a grace period, so receivers can switch without dropping calls."""
    grace = timedelta(hours=settings.signing_rotation_grace_hours)
    return await service.rotate_signing_secret(uow.session, claims.company_id, grace)
