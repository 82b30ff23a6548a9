"""API shapes of the dataset catalog."""

from typing import Any

from pydantic import BaseModel

from storo_directory.catalog.repository import Header
from storo_directory.timefmt import rfc3339


class DatasetVersion(BaseModel):
    dataset: str
    version: str
    effective_from: str
    published_at: str
    record_count: int
    sha256: str

    @classmethod
    def of(cls, header: Header) -> "DatasetVersion":
        return cls(
            dataset=header.dataset,
            version=header.version,
            effective_from=rfc3339(header.effective_from),
            published_at=rfc3339(header.published_at),
            record_count=header.record_count,
            sha256=header.sha256,
        )


class ListedVersion(DatasetVersion):
    # In force at the list's `as_of` (default: now).
    current: bool


class DatasetVersionList(BaseModel):
    as_of: str
    items: list[ListedVersion]


class DatasetVersionRecords(DatasetVersion):
    records: list[dict[str, Any]]


class PublishResult(DatasetVersion):
    created: bool
