"""Opaque tokens handed to clients (refresh tokens, reset links).

A token is `<company id hex>.<256 random bits>`. The company part lets the service scope the
transaction (and row-level security) before looking the token up; it grants nothing by itself,
since the lookup is by the SHA-256 of the whole token. Only that hash is stored.
"""

import hashlib
import secrets
from uuid import UUID


def new_token(company_id: UUID) -> str:
    return f"{company_id.hex}.{secrets.token_urlsafe(32)}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def company_of(token: str) -> UUID | None:
    """The company a token claims to belong to; None when it is not shaped like one of ours."""
    prefix, dot, rest = token.partition(".")
    if not dot or not rest or len(token) > 200:
        return None
    try:
        return UUID(hex=prefix)
    except ValueError:
        return None
