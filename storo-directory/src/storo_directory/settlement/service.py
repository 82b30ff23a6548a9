"""The settlement window a transfer falls into, from one version of the windows."""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from storo_platform.calendar import BUSINESS_TZ, BusinessCalendar, cutoff_for

from storo_directory.catalog.cache import LoadedVersion
from storo_directory.recordtypes import parse_clock


@dataclass(frozen=True)
class WindowRule:
    rail: str
    window: str
    cutoff: time
    settlement_lag_days: int
    calendar_countries: tuple[str, ...]


@dataclass(frozen=True)
class WindowChoice:
    rule: WindowRule
    business_date: date
    cutoff_at: datetime
    expected_settlement_date: date


@functools.cache
def calendar_for(countries: tuple[str, ...]) -> BusinessCalendar:
    return BusinessCalendar(countries=countries)


def _every_day(at: datetime, rule: WindowRule) -> WindowChoice:
    # A rail with no calendar (on-chain USDC) runs every calendar day.
    local = at.astimezone(BUSINESS_TZ)
    day = local.date() if local.time() < rule.cutoff else local.date() + timedelta(1)
    cutoff_at = datetime.combine(day, rule.cutoff, tzinfo=BUSINESS_TZ)
    expected = day + timedelta(days=rule.settlement_lag_days)
    return WindowChoice(rule, day, cutoff_at, expected)


def _with_calendar(at: datetime, rule: WindowRule) -> WindowChoice:
    calendar = calendar_for(rule.calendar_countries)
    day, cutoff_at = cutoff_for(at, rule.cutoff, calendar)
    expected = calendar.add_business_days(day, rule.settlement_lag_days)
    return WindowChoice(rule, day, cutoff_at, expected)


def choose(rules: Sequence[WindowRule], at: datetime) -> WindowChoice | None:
    """Of a rail's windows, the one whose next cut-off comes first after `at`."""
    choices = [
        _with_calendar(at, rule) if rule.calendar_countries else _every_day(at, rule)
        for rule in rules
    ]
    return min(
        choices,
        key=lambda c: (c.cutoff_at, c.expected_settlement_date, c.rule.window),
        default=None,
    )


def build_rules(version: LoadedVersion) -> Mapping[str, tuple[WindowRule, ...]]:
    grouped: dict[str, list[WindowRule]] = {}
    for r in version.records:
        grouped.setdefault(r["rail"], []).append(
            WindowRule(
                rail=r["rail"],
                window=r["window"],
                cutoff=parse_clock(r["cutoff"]),
                settlement_lag_days=r["settlement_lag_days"],
                calendar_countries=tuple(r["calendar_countries"]),
            )
        )
    return {rail: tuple(rules) for rail, rules in grouped.items()}


def rules(version: LoadedVersion, rail: str | None = None) -> list[WindowRule]:
    table = version.derived(build_rules)
    chosen = table.values() if rail is None else [table.get(rail, ())]
    return sorted(
        (r for group in chosen for r in group), key=lambda r: (r.rail, r.cutoff)
    )


def window_for(version: LoadedVersion, rail: str, at: datetime) -> WindowChoice | None:
    return choose(version.derived(build_rules).get(rail, ()), at)
