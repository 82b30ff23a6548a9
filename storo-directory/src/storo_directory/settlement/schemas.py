"""The settlement windows dataset and the API shape of a window lookup."""

from datetime import date, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from storo_directory.recordtypes import CalendarList, Clock, Rail


class SettlementWindowRecord(BaseModel):
    """One row of a settlement windows import.

    A transfer made before `cutoff` (business timezone, Africa/Johannesburg) on a
    business day of `calendars` goes in that day's run and settles `lag_business_days`
    business days later. An empty `calendars` means the rail runs every calendar day
    (on-chain USDC): no weekends, no holidays.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rail: Rail
    window: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,47}$")
    cutoff: Clock
    lag_business_days: int = Field(ge=0, le=10)
    calendars: CalendarList = ()

    @field_serializer("cutoff")
    def _clock(self, value: time) -> str:
        return value.strftime("%H:%M:%S") if value.second else value.strftime("%H:%M")


class SettlementWindow(BaseModel):
    rail: str
    window: str
    at: str
    business_date: date
    cutoff_at: str
    expected_settlement_date: date
    lag_business_days: int
    calendars: list[str]
    dataset: Literal["settlement_windows"] = "settlement_windows"
    dataset_version: str
