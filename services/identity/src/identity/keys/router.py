from fastapi import APIRouter, Response

from common.web import PublicUoW
from identity.keys.schemas import JwksRead
from identity.runtime import RuntimeDep

router = APIRouter(prefix="/api/identity", tags=["keys"])


@router.get("/.well-known/jwks.json", response_model=JwksRead)
async def jwks(uow: PublicUoW, runtime: RuntimeDep, response: Response) -> JwksRead:
    """The public keys access tokens are signed with: the active key and recently retired ones,
    so tokens signed before a rotation keep verifying until they expire."""
    response.headers["cache-control"] = "public, max-age=60"
    return JwksRead(keys=await runtime.keyring.jwks(uow))
