"""When a failed call is tried again, and after how long."""

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({408, 429})


def is_retryable_status(status: int) -> bool:
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


def backoff_delay(retry: int, *, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retry)], never
    below a tenth of the step, so retries of many runners spread out but never hammer."""
    step = min(cap, base * 2**retry)
    return (rng or random).uniform(step / 10, step)


def call_budget(timeout: float, max_retries: int, *, base: float, cap: float, limit: float) -> float:
    """How long all calls of one attempt may take together: every call its full timeout, every
    backoff between them its longest, within `limit`. A runner that takes an attempt answers it
    within this; it is what the engine is told when it has to wait longer than it planned."""
    backoffs = sum(min(cap, base * 2.0**retry) for retry in range(max_retries))
    return float(min(limit, timeout * (max_retries + 1) + backoffs))


def retry_after_seconds(value: str | None, *, cap: float, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (delta-seconds or HTTP date), capped; None when absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return min(max(delta, 0.0), cap)
