"""How a read chooses its dataset version: a pinned version or an as-of moment."""

from dataclasses import dataclass
from datetime import datetime

from fastapi import Query
from storo_platform.problems import FieldError, Unprocessable


class PinConflict(Unprocessable):
    slug = "pin-conflict"
    title = "Pin a version or give an as-of time, not both"


class NaiveDateTime(Unprocessable):
    slug = "naive-datetime"
    title = "A date-time without an offset names no moment"


def aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise NaiveDateTime(
            f"{field} must carry an offset, e.g. 2026-12-03T10:00:00Z",
            errors=[
                FieldError(
                    field=f"/{field}", rule="naive_datetime", message="no offset"
                )
            ],
        )
    return value


@dataclass(frozen=True)
class Pin:
    """How a read picks its version: `version`, else in force at `as_of` (now)."""

    version: str | None
    as_of: datetime | None


async def pin(
    version: str | None = Query(
        None, description="Pin this dataset version (as listed by /v1/datasets)"
    ),
    as_of: datetime | None = Query(
        None, description="Use the version in force at this moment (RFC 3339)"
    ),
) -> Pin:
    """Query parameters `version` and `as_of`, shared by every read endpoint."""
    if version is not None and as_of is not None:
        raise PinConflict(
            "version and as_of were both given",
            errors=[
                FieldError(field="/as_of", rule="pin_conflict", message="give one")
            ],
        )
    return Pin(version, aware(as_of, "as_of"))
