"""Callback tokens: an HS256 JWT under the server's callback secret that names the company, the
callback row and the expiry. The token is only a pointer that cannot be forged; single use is
enforced by the row."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import jwt

ALGORITHM = "HS256"
# Kept apart from every other token signed with HS256: a JWT made for another purpose under the
# same secret is not a callback token.
AUDIENCE = "actions.callback"


class TokenInvalid(Exception):
    """Malformed, or not signed by us."""


class TokenExpired(TokenInvalid):
    """Signed by us, but past its expiry."""


@dataclass(frozen=True)
class CallbackClaim:
    company_id: UUID
    callback_id: UUID
    expires_at: datetime


def issue(secret: str, claim: CallbackClaim) -> str:
    return jwt.encode(
        {
            "aud": AUDIENCE,
            "sub": str(claim.callback_id),
            "company_id": str(claim.company_id),
            "exp": int(claim.expires_at.timestamp()),
        },
        secret,
        algorithm=ALGORITHM,
    )


def verify(secret: str, token: str) -> CallbackClaim:
    try:
        data = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            options={"require": ["aud", "sub", "company_id", "exp"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise TokenExpired("the callback token has expired") from exc
    except jwt.InvalidTokenError as exc:
        raise TokenInvalid("the callback token is not valid") from exc
    try:
        return CallbackClaim(
            company_id=UUID(data["company_id"]),
            callback_id=UUID(data["sub"]),
            expires_at=datetime.fromtimestamp(int(data["exp"]), UTC),
        )
    except (ValueError, TypeError) as exc:
        raise TokenInvalid("the callback token is not valid") from exc
