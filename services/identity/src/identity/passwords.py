"""Password hashing (argon2id) and the strength rule every new password must meet.

Hashing is deliberately slow, so it runs on a worker thread: the event loop keeps serving
other requests while a password is hashed or checked.
"""

import asyncio
import string

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10
# argon2 hashes whatever it is given; an upper bound keeps a login from being a CPU sink.
MAX_LENGTH = 128
MIN_CHARACTER_CLASSES = 2


class Passwords:
    """argon2id with the cost the settings give (OWASP's minimum profile by default: 19 MiB,
    2 passes, 1 lane). A hash records its own parameters, so raising the cost later still
    verifies older hashes."""

    def __init__(self, time_cost: int = 2, memory_cost_kib: int = 19456, parallelism: int = 1) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost_kib, parallelism=parallelism
        )
        # Checked against when the account does not exist, so a login takes as long either way.
        self._dummy_hash = self._hasher.hash("not-a-real-password-0")

    async def hash(self, password: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; always spends the time of one verification."""
        return await asyncio.to_thread(self._verify, password_hash, password)

    def _verify(self, password_hash: str | None, password: str) -> bool:
        try:
            matches = self._hasher.verify(password_hash or self._dummy_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        return matches and password_hash is not None


def password_problems(password: str, email: str | None = None) -> list[str]:
    """What is wrong with a new password, in words a user can act on; empty when it is fine."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters long")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters long")
    if character_classes(password) < MIN_CHARACTER_CLASSES:
        problems.append("must mix at least two of: lower-case letters, upper-case letters, digits, symbols")
    if email and password.strip().lower() == email.strip().lower():
        problems.append("must not be the email address")
    return problems


def character_classes(password: str) -> int:
    classes = (
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() or c in string.punctuation for c in password),
    )
    return sum(classes)
