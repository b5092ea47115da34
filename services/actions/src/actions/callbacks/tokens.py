"""Callback tokens: `<payload>.<mac>`, base64url, where the payload names the company, the
callback row and the expiry, and the MAC is HMAC-SHA256 under the server's callback secret.
The token is only a pointer that cannot be forged; single use is enforced by the row."""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID


class TokenInvalid(Exception):
    """Malformed, or not signed by us."""


@dataclass(frozen=True)
class CallbackClaim:
    company_id: UUID
    callback_id: UUID
    expires_at: datetime


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, payload: str) -> str:
    return _b64(hmac.new(secret.encode(), payload.encode(), hashlib.sha256).digest())


def issue(secret: str, claim: CallbackClaim) -> str:
    payload = _b64(
        json.dumps(
            {
                "c": str(claim.company_id),
                "i": str(claim.callback_id),
                "e": int(claim.expires_at.timestamp()),
            },
            separators=(",", ":"),
        ).encode()
    )
    return f"{payload}.{_mac(secret, payload)}"


def verify(secret: str, token: str) -> CallbackClaim:
    payload, _, mac = token.partition(".")
    if not payload or not mac or not hmac.compare_digest(_mac(secret, payload), mac):
        raise TokenInvalid("the callback token is not valid")
    try:
        data = json.loads(_unb64(payload))
        return CallbackClaim(
            company_id=UUID(data["c"]),
            callback_id=UUID(data["i"]),
            expires_at=datetime.fromtimestamp(int(data["e"]), UTC),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise TokenInvalid("the callback token is not valid") from exc
