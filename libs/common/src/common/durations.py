"""ISO 8601 durations as definitions write them (`PT4H`, `P2D`, `P1W`, `P1DT12H`).

Years and months are refused: they have no fixed length, and a due time must not depend on
which month a task was created in. The parsing itself is pydantic's; the pattern in front of it
keeps out the other spellings pydantic also takes for a timedelta (plain seconds, `HH:MM:SS`).
"""

import re
from datetime import timedelta

from pydantic import TypeAdapter, ValidationError

_ISO_DURATION = re.compile(
    r"^P(?!$)(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
_CALENDAR = re.compile(r"^P[^T]*[YM]")
_TIMEDELTA = TypeAdapter(timedelta)

# A due time further out than this is a typo, not a plan.
MAX_DURATION = timedelta(days=3660)


class DurationError(ValueError):
    pass


def looks_like_duration(text: str) -> bool:
    """Whether the text is written as an ISO 8601 duration (valid or not): it starts with P
    followed by a digit or T, which no JSONata expression over data fields does."""
    return re.match(r"^P[\dT]", text.strip()) is not None


def parse_duration(text: str) -> timedelta:
    """The duration, positive and at most ten years; `DurationError` says what is wrong."""
    value = text.strip()
    if _CALENDAR.match(value):
        raise DurationError("years and months have no fixed length; give weeks, days or hours (P30D)")
    if not _ISO_DURATION.match(value):
        raise DurationError("not an ISO 8601 duration like PT4H, P2D or P1DT12H")
    try:
        duration = _TIMEDELTA.validate_python(value)
    except ValidationError as exc:
        raise DurationError("not an ISO 8601 duration like PT4H, P2D or P1DT12H") from exc
    if duration <= timedelta(0):
        raise DurationError("must be longer than zero")
    if duration > MAX_DURATION:
        raise DurationError("must be at most ten years")
    return duration
