"""What the identity routes need besides the database: settings, the key ring, the postman."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from identity.config import IdentitySettings
from identity.keys.service import KeyRing
from identity.mail.postman import Postman
from identity.passwords import Passwords


@dataclass(frozen=True)
class IdentityRuntime:
    settings: IdentitySettings
    keyring: KeyRing
    postman: Postman
    passwords: Passwords


async def get_runtime(request: Request) -> IdentityRuntime:
    runtime: IdentityRuntime = request.app.state.identity
    return runtime


RuntimeDep = Annotated[IdentityRuntime, Depends(get_runtime)]


async def client_address(request: Request) -> str:
    """The caller's address as the gateway saw it. The gateway overwrites `X-Forwarded-For`
    with the one address it accepted the connection from, so the header carries one value."""
    forwarded = request.headers.get("x-forwarded-for", "")
    if forwarded:
        return forwarded.split(",")[-1].strip()[:64]
    return request.client.host if request.client else "unknown"


ClientAddress = Annotated[str, Depends(client_address)]
