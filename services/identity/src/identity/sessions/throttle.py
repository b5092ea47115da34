"""Rate limits on sign-in and reset requests, kept in the database so every replica counts the
same attempts: per account (failed attempts) and per client address (every attempt), in a
sliding window."""

import hashlib
import math
from datetime import UTC, datetime, timedelta

from common.db import UnitOfWork
from common.errors import TooManyRequests
from identity.sessions.repository import LoginAttemptRepository


def account_key(scope: str, email_key: str) -> str:
    # Hashed: people type passwords into the email field, and this ledger is not the place to keep them.
    return f"{scope}:acct:{hashlib.sha256(email_key.encode()).hexdigest()}"


def address_key(scope: str, address: str) -> str:
    return f"{scope}:addr:{address[:64]}"


async def ensure_allowed(
    uow: UnitOfWork,
    *,
    account: str,
    account_limit: int,
    address: str,
    address_limit: int,
    window: timedelta,
    account_failures_only: bool = True,
) -> None:
    """Raise 429 (with Retry-After) when the account or the address is over its limit."""
    await LoginAttemptRepository(uow.session).lock_attempt_key(account)
    now = datetime.now(UTC)
    since = now - window
    checks = (
        (account, account_limit, account_failures_only, "this account"),
        (address, address_limit, False, "your address"),
    )
    for key, limit, failed_only, whose in checks:
        count, oldest = await LoginAttemptRepository(uow.session).attempts_since(
            key, since, failed_only=failed_only
        )
        if count >= limit:
            retry_after = max(1, math.ceil(((oldest or now) + window - now).total_seconds()))
            raise TooManyRequests(
                f"Too many attempts for {whose}. Try again in {retry_after} seconds.",
                headers={"Retry-After": str(retry_after)},
                extra={"retry_after": retry_after},
            )


async def record(uow: UnitOfWork, keys: list[str], *, succeeded: bool) -> None:
    await LoginAttemptRepository(uow.session).record_attempts(keys, succeeded=succeeded)
