"""RFC 3339 timestamps as the fleet writes them on every wire: UTC with a `Z`."""

from datetime import UTC, datetime


def rfc3339(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes have no place on the wire")
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)
