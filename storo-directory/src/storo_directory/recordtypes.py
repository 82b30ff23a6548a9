"""Field types and rules shared by the record formats of every dataset.

Each rule raises a `PydanticCustomError` whose type is the machine-readable rule an
import refusal reports (`unknown_rail`, `impossible_time`, ...).
"""

import re
from datetime import time
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from storo_directory.rails import RAILS

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
_TIME = re.compile(r"^(\d{2}):(\d{2})$")
_DIGITS = re.compile(r"^\d+$")
# The holiday calendars storo_platform.calendar carries.
CALENDARS = frozenset({"ZA", "ZW"})


def _country(value: str) -> str:
    if not _COUNTRY.match(value):
        raise PydanticCustomError(
            "not_a_country",
            "'{value}' is not an ISO 3166 alpha-2 code",
            {"value": value},
        )
    return value


def _rail(value: str) -> str:
    if value not in RAILS:
        raise PydanticCustomError(
            "unknown_rail",
            "'{value}' is not a rail (known: {known})",
            {"value": value, "known": ", ".join(sorted(RAILS))},
        )
    return value


def _calendar(value: str) -> str:
    if value not in CALENDARS:
        raise PydanticCustomError(
            "unknown_calendar",
            "'{value}' is not a holiday calendar (known: ZA, ZW)",
            {"value": value},
        )
    return value


def _bic(value: str) -> str:
    if not _BIC.match(value):
        raise PydanticCustomError(
            "not_a_bic", "'{value}' is not an ISO 9362 BIC", {"value": value}
        )
    # BIC11 with the primary-office branch "XXX" names the same party as its BIC8.
    return value[:8] if value.endswith("XXX") and len(value) == 11 else value


def _digits(value: str) -> str:
    if not _DIGITS.match(value):
        raise PydanticCustomError(
            "not_digits", "'{value}' must be digits only", {"value": value}
        )
    return value


def parse_clock(value: object) -> time:
    """A wall-clock time `HH:MM`; 24:00 and 12:61 are impossible."""
    if isinstance(value, time):
        return value
    match = _TIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise PydanticCustomError(
            "impossible_time", "'{value}' is not a time HH:MM", {"value": value}
        )
    hour, minute = (int(part) for part in match.groups())
    if hour > 23 or minute > 59:
        raise PydanticCustomError(
            "impossible_time", "'{value}' is not a time of day", {"value": value}
        )
    return time(hour, minute)


def _split(value: object) -> object:
    # CSV carries lists as `a|b`; an empty cell is an empty list.
    if isinstance(value, str):
        return [part.strip() for part in value.split("|") if part.strip()]
    if value is None:
        return []
    return value


Country = Annotated[str, AfterValidator(_country)]
Rail = Annotated[str, AfterValidator(_rail)]
Calendar = Annotated[str, AfterValidator(_calendar)]
Bic = Annotated[str, AfterValidator(_bic)]
Digits = Annotated[str, AfterValidator(_digits)]
Clock = Annotated[time, BeforeValidator(parse_clock)]
RailList = Annotated[tuple[Rail, ...], BeforeValidator(_split)]
CalendarList = Annotated[tuple[Calendar, ...], BeforeValidator(_split)]
