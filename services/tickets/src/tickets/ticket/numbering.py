"""Human ticket numbers: `<PREFIX>-<n>`, counted per company and prefix."""

import re

_PREFIX_CHARS = re.compile(r"[^A-Z0-9]")


def normalise_prefix(prefix: str) -> str:
    """Upper-case letters and digits only, so numbers read the same in URLs, mails and search;
    `T` when a definition's prefix has none."""
    cleaned = _PREFIX_CHARS.sub("", prefix.upper())[:20]
    return cleaned or "T"


def number_stem(prefix: str) -> str:
    """What a number of `prefix` starts with; the count follows it."""
    return f"{normalise_prefix(prefix)}-"


def format_number(prefix: str, sequence: int) -> str:
    if sequence < 1:
        raise ValueError("ticket numbers start at 1")
    return f"{number_stem(prefix)}{sequence}"
