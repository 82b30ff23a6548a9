"""Bodies of the rule-out API."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

from storo_compliance.screening.schemas import PartyIn


class RuleOutIn(BaseModel):
    party: PartyIn
    list: Literal["ofac_sdn", "un_consolidated", "eu_consolidated", "za_fic"]
    entry_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=3, max_length=1000)


class RuleOutOut(BaseModel):
    id: uuid.UUID
    party: PartyIn
    list: str
    entry_id: str
    entry_fingerprint: str
    reason: str
    status: Literal["pending", "approved", "rejected"]
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
