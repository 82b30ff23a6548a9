"""Bodies of the rule-out API."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import BaseModel, Field

from storo_compliance.screening.schemas import PartyIn


class RuleOutIn(BaseModel):
    party: PartyIn
    list: Literal["ofac_sdn", "un_consolidated", "eu_consolidated", "za_fic"]
    entry_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=3, max_length=1000)
    expires_at: datetime.datetime | None = None
