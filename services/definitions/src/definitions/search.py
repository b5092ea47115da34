"""Helpers the repositories share for text search."""


def like_pattern(query: str) -> str:
    """A case-insensitive substring pattern with the user's `%`, `_` and `\\` taken literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
