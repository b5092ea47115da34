"""Standard Webhooks signatures (`webhook-id`, `webhook-timestamp`, `webhook-signature`), made
and checked by the specification's own library, with the key given as `whsec_<base64>`."""

import base64
from datetime import UTC, datetime
from secrets import token_bytes

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PREFIX = "whsec_"


def generate_secret() -> str:
    return PREFIX + base64.b64encode(token_bytes(32)).decode()


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    # Bodies are the runner's own JSON (ASCII), so the text the library signs is the bytes sent.
    return Webhook(secret).sign(msg_id, datetime.fromtimestamp(timestamp, UTC), body.decode())


def signature_headers(secrets: list[str], msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Signed with every secret a receiver may still hold (the new one first, during rotation)."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(signature(s, msg_id, timestamp, body) for s in secrets),
    }


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (signature and a timestamp within five minutes); used by the tests
    standing in for receiving systems."""
    try:
        Webhook(secret).verify(body, headers, json_parse=False)
    except (WebhookVerificationError, ValueError):  # ValueError: a malformed signature list
        return False
    return True
