"""The date range every report endpoint takes: `from` and `to` as calendar days (UTC), both
inclusive, validated the same way in every service."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import Depends, Query

from common.errors import ValidationProblem

DEFAULT_DAYS = 30
# A year and a day: long enough for a yearly report, short enough that a per-day aggregate
# stays a few hundred rows per type.
MAX_DAYS = 367


@dataclass(frozen=True)
class DateRange:
    first_day: date
    last_day: date

    @property
    def start(self) -> datetime:
        """The first instant of the range."""
        return datetime.combine(self.first_day, time.min, tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the range (exclusive bound)."""
        return datetime.combine(self.last_day + timedelta(days=1), time.min, tzinfo=UTC)


def date_range(
    first_day: Annotated[date | None, Query(alias="from", description="first day (UTC), inclusive")] = None,
    last_day: Annotated[date | None, Query(alias="to", description="last day (UTC), inclusive")] = None,
) -> DateRange:
    """Defaults to the last 30 days up to today. `from` after `to`, or a range longer than
    367 days, is 422 naming the parameter."""
    today = datetime.now(UTC).date()
    last = last_day or (first_day + timedelta(days=DEFAULT_DAYS - 1) if first_day else today)
    first = first_day or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise ValidationProblem(
            "`from` is after `to`.",
            errors=[{"loc": ["query", "from"], "msg": "must be on or before `to`", "type": "date_range"}],
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationProblem(
            f"The range is longer than {MAX_DAYS} days.",
            errors=[
                {"loc": ["query", "to"], "msg": f"at most {MAX_DAYS} days after `from`", "type": "date_range"}
            ],
        )
    return DateRange(first, last)


DateRangeDep = Annotated[DateRange, Depends(date_range)]


def week_start(moment: datetime) -> datetime:
    """Monday 00:00 UTC of the week `moment` falls in (ISO weeks, as Postgres' date_trunc)."""
    day = moment.astimezone(UTC).date()
    return datetime.combine(day - timedelta(days=day.weekday()), time.min, tzinfo=UTC)
