"""Email addresses as the identity service accepts and compares them."""

import re

MAX_LENGTH = 254
# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is proven by the
# mails the address receives, not by a regular expression.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_email(value: str) -> str:
    """Strip surrounding blanks and lower-case the domain (the local part is kept as typed)."""
    value = value.strip()
    if len(value) > MAX_LENGTH or not _EMAIL.match(value):
        raise ValueError("must be a valid email address, like name@example.com")
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def email_key(value: str) -> str:
    """The case-insensitive form emails are unique by."""
    return value.strip().lower()
