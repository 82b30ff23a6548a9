"""The staleness policy, in one place.

A list's age is the time since its last successful ingest: loading a new version,
or re-ingesting a file identical to the live version (which confirms that the
publisher has not changed it). A list older than its maximum age, or a required
list that was never loaded, makes every screening `deny` with reason
`list_stale`. The publication date is shown but not used for age: publishers
re-issue unchanged lists on their own schedules, and what the service can vouch
for is when it last checked.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Literal

from storo_compliance.clock import rfc3339
from storo_compliance.settings import ComplianceSettings

State = Literal["fresh", "stale", "missing"]


@dataclass(frozen=True)
class ListFreshness:
    list: str
    state: State
    version: str | None = None
    published_at: date | None = None
    loaded_at: datetime | None = None
    confirmed_at: datetime | None = None
    entry_count: int | None = None
    sha256: str | None = None
    age_seconds: int | None = None
    max_age_seconds: int = 0

    @property
    def fresh(self) -> bool:
        return self.state == "fresh"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("loaded_at", "confirmed_at"):
            out[key] = rfc3339(out[key]) if out[key] is not None else None
        if self.published_at is not None:
            out["published_at"] = self.published_at.isoformat()
        out["fresh"] = self.fresh
        out["stale"] = not self.fresh
        out["max_age_hours"] = self.max_age_seconds // 3600
        return out


def evaluate(
    active: list[dict[str, Any]], settings: ComplianceSettings, now: datetime
) -> list[ListFreshness]:
    by_list = {row["list"]: row for row in active}
    names = list(dict.fromkeys([*settings.required_lists, *by_list]))
    out: list[ListFreshness] = []
    for name in names:
        max_age = int(settings.max_age_hours(name) * 3600)
        row = by_list.get(name)
        if row is None:
            out.append(ListFreshness(name, "missing", max_age_seconds=max_age))
            continue
        age = int((now - row["confirmed_at"]).total_seconds())
        out.append(
            ListFreshness(
                name,
                "fresh" if age <= max_age else "stale",
                version=row["version"],
                published_at=row["published_at"],
                loaded_at=row["loaded_at"],
                confirmed_at=row["confirmed_at"],
                entry_count=row["entry_count"],
                sha256=row["sha256"],
                age_seconds=age,
                max_age_seconds=max_age,
            )
        )
    return out


def blocking(lists: list[ListFreshness], settings: ComplianceSettings) -> list[str]:
    """The required lists that stop screening (missing or stale)."""
    required = set(settings.required_lists)
    return [f.list for f in lists if f.list in required and not f.fresh]
