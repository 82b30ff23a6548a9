"""The request and answer of `POST /v1/quotes`, as the fleet brief fixes them."""

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class WireMoney(BaseModel):
    # strict: a float amount is refused before it can lose a cent.
    amount: str = Field(strict=True, max_length=40)
    currency: str = Field(strict=True, min_length=3, max_length=4)


class Corridor(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    origin: str = Field(alias="from", pattern=r"^[A-Z]{2}$")
    destination: str = Field(alias="to", pattern=r"^[A-Z]{2}$")


class QuoteRequest(BaseModel):
    amount: WireMoney
    corridor: Corridor
    rail: str | None = None
    at: datetime | None = None
    # Reproducing a quote: the versions an earlier answer named. Without a pin each
    # dataset is taken as in force at `at`.
    dataset_versions: dict[str, str] | None = None


RailReason = Literal[
    "requested",
    "only_rail_for_currency",
    "only_route",
    "cheapest",
    "earliest_settlement",
    "preferred_rail",
]


class QuoteSettlement(BaseModel):
    window: str
    cutoff_at: str
    expected_settlement_date: date


class Quote(BaseModel):
    quote_id: str
    amount: WireMoney
    fee: WireMoney
    total: WireMoney
    rail: str
    rail_reason: RailReason
    settlement: QuoteSettlement
    dataset_versions: dict[str, str]
