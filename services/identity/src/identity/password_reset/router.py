from fastapi import APIRouter, status

from common.web import PublicUoW
from identity.password_reset import service
from identity.password_reset.schemas import ResetAccepted, ResetConfirm, ResetRequest
from identity.runtime import ClientAddress, RuntimeDep

router = APIRouter(prefix="/api/identity/password-reset", tags=["password reset"])


@router.post("/request", response_model=ResetAccepted, status_code=status.HTTP_202_ACCEPTED)
async def request_reset(
    data: ResetRequest, uow: PublicUoW, runtime: RuntimeDep, address: ClientAddress
) -> ResetAccepted:
    """Ask for a reset link by email. The answer is the same whether or not the address has an
    account; the link (single use, 30 minutes) goes to the address if it does."""
    await service.request_reset(uow, runtime, data.email, address)
    return ResetAccepted(detail="If an account uses this address, a reset link is on its way.")


@router.post("/confirm", status_code=status.HTTP_204_NO_CONTENT)
async def confirm_reset(data: ResetConfirm, uow: PublicUoW, runtime: RuntimeDep) -> None:
    """Set a new password with the token of a reset or invitation link. Every session of the
    account is signed out."""
    await service.confirm(uow, runtime, data.token, data.new_password)
