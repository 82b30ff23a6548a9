"""The settlement windows dataset and the API shapes of windows."""

from datetime import date, time

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from storo_directory.recordtypes import CalendarList, Clock, Rail


class SettlementWindowRecord(BaseModel):
    """One row of a settlement windows import.

    A transfer made before `cutoff` (business time, Africa/Johannesburg) on a
    business day of `calendar_countries` goes in that day's run and settles
    `settlement_lag_days` business days later. An empty `calendar_countries` means
    the rail runs every calendar day (on-chain USDC): no weekends, no holidays.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rail: Rail
    window: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,47}$")
    cutoff: Clock
    settlement_lag_days: int = Field(ge=0, le=10)
    calendar_countries: CalendarList = ()

    @field_serializer("cutoff")
    def _clock(self, value: time) -> str:
        return value.strftime("%H:%M")


class SettlementWindow(BaseModel):
    rail: str
    window: str
    cutoff: str
    timezone: str
    settlement_lag_days: int
    calendar_countries: list[str]
    dataset_version: str


class SettlementWindowList(BaseModel):
    items: list[SettlementWindow]
    dataset_version: str


class SettlementWindowAt(SettlementWindow):
    """The window a transfer made at `at` falls into, and when it settles."""

    at: str
    business_date: date
    cutoff_at: str
    expected_settlement_date: date
