"""The caller's claims, as injected by the gateway, and the dependencies that require them.

The gateway verifies the user's JWT, strips every client-sent `x-tf-*` header and sets
`x-tf-claims` (base64url JSON) with `x-tf-claims-signature` (hex HMAC-SHA256 of that value
under the shared `GATEWAY_CLAIMS_SECRET`). A service trusts nothing else: a request that
reaches it without a valid, fresh signature is refused.
"""

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Coroutine
from enum import StrEnum
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError

from common.errors import Forbidden, Unauthorized

CLAIMS_HEADER = "x-tf-claims"
SIGNATURE_HEADER = "x-tf-claims-signature"
INTERNAL_HEADER_PREFIX = "x-tf-"


class SystemRole(StrEnum):
    USER = "user"
    ADMIN = "admin"
    TICKET_ADMIN = "ticket_admin"
    TASK_WORKER = "task_worker"
    WORKFLOW_CREATOR = "workflow_creator"


class Claims(BaseModel):
    company_id: UUID
    user_id: UUID
    roles: list[str]
    company_roles: list[str]
    iat: int

    def has_any_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


def sign_claims(claims: Claims, secret: str) -> dict[str, str]:
    """The headers the gateway adds for an authenticated request."""
    value = base64.urlsafe_b64encode(claims.model_dump_json().encode()).decode().rstrip("=")
    signature = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    return {CLAIMS_HEADER: value, SIGNATURE_HEADER: signature}


def verify_claims(headers: Any, secret: str, max_age_seconds: int) -> Claims:
    value = headers.get(CLAIMS_HEADER)
    signature = headers.get(SIGNATURE_HEADER)
    if not value or not signature:
        raise Unauthorized("This endpoint needs an authenticated caller.")
    expected = hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Unauthorized("The caller's claims are not signed by the gateway.")
    try:
        padded = value + "=" * (-len(value) % 4)
        claims = Claims.model_validate(json.loads(base64.urlsafe_b64decode(padded)))
    except (ValueError, ValidationError) as exc:
        raise Unauthorized("The caller's claims are malformed.") from exc
    if abs(time.time() - claims.iat) > max_age_seconds:
        raise Unauthorized("The caller's claims have expired.")
    return claims


async def current_claims(request: Request) -> Claims:
    settings = request.app.state.settings
    claims = verify_claims(
        request.headers, settings.claims_secret.get_secret_value(), settings.claims_max_age_seconds
    )
    request.state.claims = claims
    return claims


CurrentClaims = Annotated[Claims, Depends(current_claims)]


def require_roles(*roles: str) -> Callable[[Claims], Coroutine[Any, Any, Claims]]:
    """A dependency that lets through callers holding any of `roles` (admin always passes)."""
    allowed = set(roles) | {SystemRole.ADMIN.value}

    async def dependency(claims: CurrentClaims) -> Claims:
        if not allowed.intersection(claims.roles):
            raise Forbidden(f"This needs one of the roles: {', '.join(sorted(allowed))}.")
        return claims

    return dependency


AdminClaims = Annotated[Claims, Depends(require_roles(SystemRole.ADMIN))]
