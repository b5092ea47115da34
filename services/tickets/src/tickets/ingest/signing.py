"""Ingest key secrets and the signature of inbound messages.

A key's secret is never stored. The secret of generation N of key K of company C is
`tfik_` + base64url(HKDF-SHA256(ikm=server ingest secret, salt=C, info="ticketflower-ingest:K:N"))
and is shown once, when the key is created or rotated. Verifying recomputes it. A sender signs
the exact bytes of the Kafka record value: header `x-tf-signature: v1=<hex HMAC-SHA256(secret,
value)>` (several space-separated `v1=` entries are accepted, so a sender can sign with the
old and the new secret while it rolls a rotation out).
"""

import base64
import hashlib
import hmac
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SECRET_PREFIX = "tfik_"
SIGNATURE_SCHEME = "v1"


def derive_secret(server_secret: str, company_id: UUID, key_id: UUID, generation: int) -> str:
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=company_id.bytes,
        info=f"ticketflower-ingest:{key_id}:{generation}".encode(),
    ).derive(server_secret.encode())
    return SECRET_PREFIX + base64.urlsafe_b64encode(derived).decode().rstrip("=")


def fingerprint(secret: str) -> str:
    """What the database keeps of a secret: enough to tell which one a sender holds."""
    return hashlib.sha256(secret.encode()).hexdigest()


def signature_header(secret: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}={digest}"


def signature_matches(secrets: list[str], body: bytes, header: str | None) -> bool:
    """True when any `v1=` signature of the header is the HMAC of `body` under any secret."""
    if not header:
        return False
    offered = [
        value
        for scheme, _, value in (part.partition("=") for part in header.split())
        if scheme == SIGNATURE_SCHEME and value
    ]
    matched = False
    for secret in secrets:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        for value in offered:
            # Every comparison runs, so timing tells nothing about which one matched.
            matched |= hmac.compare_digest(expected, value.lower())
    return matched
