"""Business time: Africa/Johannesburg, and days when both ZA and ZW banks are open.

Public holidays come from the `holidays` package, which follows each country's
gazetted calendar, including South Africa's rule that a holiday on a Sunday is
observed on the Monday (Public Holidays Act 36 of 1994, section 2(1)) and Zimbabwe's
equivalent. A business day is a weekday that is a holiday in none of the calendars.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

import holidays

__all__ = ["BUSINESS_TZ", "BusinessCalendar", "cutoff_for", "default_calendar"]

BUSINESS_TZ: Final = ZoneInfo("Africa/Johannesburg")

# No real schedule needs more; a bound stops a loop on a bad calendar.
_MAX_SCAN_DAYS: Final = 366


class BusinessCalendar:
    """Business days under the public holidays of ``countries`` (ISO 3166 alpha-2)."""

    def __init__(self, countries: Sequence[str] = ("ZA", "ZW")) -> None:
        if isinstance(countries, str) or not countries:
            raise ValueError("countries is a non-empty sequence of country codes")
        self.countries: tuple[str, ...] = tuple(countries)
        for country in self.countries:
            holidays.country_holidays(country)  # fails early on an unknown code
        self._years: dict[int, dict[date, str]] = {}
        self._lock = threading.Lock()

    def _year(self, year: int) -> dict[date, str]:
        found = self._years.get(year)
        if found is not None:
            return found
        with self._lock:
            merged: dict[date, list[str]] = {}
            for country in self.countries:
                table = holidays.country_holidays(country, years=year)
                for day, name in sorted(table.items()):
                    merged.setdefault(day, []).append(f"{name} ({country})")
            names = {day: "; ".join(parts) for day, parts in merged.items()}
            self._years[year] = names
            return names

    def holiday_name(self, d: date) -> str | None:
        """The holiday(s) on ``d``, each followed by its country, or None."""
        return self._year(d.year).get(_as_date(d))

    def is_business_day(self, d: date) -> bool:
        d = _as_date(d)
        return d.weekday() < 5 and self.holiday_name(d) is None

    def next_business_day(self, d: date) -> date:
        """The first business day strictly after ``d``."""
        d = _as_date(d)
        for _ in range(_MAX_SCAN_DAYS):
            d += timedelta(days=1)
            if self.is_business_day(d):
                return d
        raise RuntimeError(f"no business day within {_MAX_SCAN_DAYS} days")

    def previous_business_day(self, d: date) -> date:
        """The last business day strictly before ``d``."""
        d = _as_date(d)
        for _ in range(_MAX_SCAN_DAYS):
            d -= timedelta(days=1)
            if self.is_business_day(d):
                return d
        raise RuntimeError(f"no business day within {_MAX_SCAN_DAYS} days")

    def add_business_days(self, d: date, n: int) -> date:
        """Move ``n`` business days from ``d`` (backwards when ``n`` is negative).

        ``n == 0`` returns ``d`` itself, business day or not.
        """
        d = _as_date(d)
        step = self.next_business_day if n >= 0 else self.previous_business_day
        for _ in range(abs(n)):
            d = step(d)
        return d


_DEFAULT: BusinessCalendar | None = None


def default_calendar() -> BusinessCalendar:
    """The fleet's calendar (ZA and ZW), built once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = BusinessCalendar()
    return _DEFAULT


def cutoff_for(
    at: datetime, cutoff: time, calendar: BusinessCalendar | None = None
) -> tuple[date, datetime]:
    """The business date ``at`` falls into for a window closing at ``cutoff``.

    Before the cut-off (business time) on a business day, that day; at or after it,
    or on a weekend or holiday, the next business day. Returns the date and that
    date's cut-off as an aware datetime in ``BUSINESS_TZ``.
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("at must be an aware datetime")
    if cutoff.tzinfo is not None:
        raise ValueError("cutoff is a wall-clock time in business time, without tz")
    cal = calendar if calendar is not None else default_calendar()
    local = at.astimezone(BUSINESS_TZ)
    day = local.date()
    if not (cal.is_business_day(day) and local.time() < cutoff):
        day = cal.next_business_day(day)
    return day, datetime.combine(day, cutoff, tzinfo=BUSINESS_TZ)


def _as_date(d: date) -> date:
    # a datetime is a date subclass; its clock would silently be ignored
    if isinstance(d, datetime):
        raise TypeError("pass a date; convert a datetime to business time first")
    return d
