"""Service settings: the fleet's common fields plus compliance's own.

Every field is read from `STORO_COMPLIANCE_<FIELD>`; docs/README.md lists them.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict
from storo_platform.settings import ServiceSettings

from storo_compliance.lists.model import LIST_NAMES, ListName
from storo_compliance.matching.config import MatchConfig

SCHEMA = "compliance"
SERVICE = "storo-compliance"


class ComplianceSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="STORO_COMPLIANCE_")

    database_url: str | None = "postgresql+psycopg://compliance@127.0.0.1:5432/storo"
    port: int = 8300
    # Staleness: a list is stale when its last successful ingest (a new version
    # or an identical file re-confirmed) is older than this many hours.
    max_list_age_hours: int = Field(default=36, ge=1)
    max_list_age_overrides: dict[str, int] = Field(default_factory=dict)
    # Lists that must be loaded and fresh; any missing or stale one denies.
    required_lists: list[ListName] = Field(default_factory=lambda: list(LIST_NAMES))
    deny_threshold: int = 92
    review_threshold: int = 76
    candidate_floor: int = 70
    max_candidates: int = 10
    # Where the ingest endpoint may read files from; unset: S3 sources only.
    ingest_root: str | None = None
    ingest_batch_size: int = 1000
    relay_poll_seconds: float = 0.5

    def match_config(self) -> MatchConfig:
        return MatchConfig(
            deny_threshold=self.deny_threshold,
            review_threshold=self.review_threshold,
            candidate_floor=min(self.candidate_floor, self.review_threshold),
            max_candidates=self.max_candidates,
        )

    def max_age_hours(self, name: str) -> int:
        return int(self.max_list_age_overrides.get(name, self.max_list_age_hours))
