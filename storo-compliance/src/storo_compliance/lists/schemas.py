"""Bodies of the lists API."""

from __future__ import annotations

from pydantic import BaseModel, Field


class IngestIn(BaseModel):
    source: str = Field(
        min_length=1,
        max_length=1024,
        description="s3://bucket/key (a prefix for OFAC's CSV set) or a path "
        "under STORO_COMPLIANCE_INGEST_ROOT",
    )
