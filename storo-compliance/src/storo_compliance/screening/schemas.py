"""Request and response bodies of the screening API."""

from __future__ import annotations

import builtins
import datetime as dt
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class PartyIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=140)
    type: Literal["individual", "organisation"]
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    date_of_birth: dt.date | None = None


class ScreeningIn(BaseModel):
    party: PartyIn
    reference: str | None = Field(default=None, max_length=128)


class CandidateOut(BaseModel):
    list: str
    entry_id: str
    matched_name: str
    name_kind: Literal["primary", "alias"]
    score: int
    reasons: builtins.list[str]


class ScreeningOut(BaseModel):
    screening_id: uuid.UUID
    decision: Literal["clear", "review", "deny"]
    score: int = Field(ge=0, le=100)
    reason: Literal["match", "list_stale"] | None
    candidates: list[CandidateOut]
    list_versions: dict[str, str]
    screened_at: str
