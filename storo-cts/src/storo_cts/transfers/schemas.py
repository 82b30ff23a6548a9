"""The transfer API's request and response bodies.

Requests are strict: an unknown field, a wrong type or a missing field is refused
(pydantic's errors become problem+json with each field's pointer). Money stays a
decimal string here; :mod:`storo_cts.transfers.validation` turns it into minor units
with storo_platform's rules, which need the currency and the configured limit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from storo_platform.money import NotADecimalString

from storo_cts.transfers.states import Status

Rail = Literal["usdc", "oppwa", "zimswitch"]
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
MetadataKey = Annotated[str, StringConstraints(min_length=1, max_length=40)]
MetadataValue = Annotated[str, StringConstraints(max_length=500)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def _decimal_string(value: Any) -> Any:
    # A JSON number is refused with the money rule, not pydantic's "string_type":
    # floats never carry money, and clients branch on the rule name.
    if not isinstance(value, str):
        raise NotADecimalString(f'{value!r} is not a decimal string like "125.50"')
    return value


DecimalString = Annotated[
    str, BeforeValidator(_decimal_string), Field(max_length=32, examples=["125.50"])
]


class MoneyIn(Strict):
    amount: DecimalString
    currency: str = Field(min_length=1, max_length=8, examples=["ZAR"])


class Money(BaseModel):
    amount: str
    currency: str


class Party(Strict):
    name: str = Field(min_length=1, max_length=140)
    account: str = Field(min_length=1, max_length=64)
    institution: str | None = Field(default=None, min_length=1, max_length=64)
    country: CountryCode
    type: Literal["individual", "organisation"]
    # strict mode would refuse an ISO date string; dates arrive as JSON strings.
    date_of_birth: Annotated[date | None, Field(strict=False)] = None


class TransferCreate(Strict):
    debtor: Party
    creditor: Party
    amount: MoneyIn
    rail: Rail | None = None
    reference: str = Field(min_length=1, max_length=35)
    purpose: str | None = Field(default=None, min_length=1, max_length=140)
    metadata: dict[MetadataKey, MetadataValue] = Field(
        default_factory=dict, max_length=20
    )


class Settlement(BaseModel):
    window: str
    cutoff_at: datetime
    expected_settlement_date: date


class PartyOut(BaseModel):
    name: str
    account: str
    institution: str | None
    country: str
    type: Literal["individual", "organisation"]
    date_of_birth: date | None = None


class Transfer(BaseModel):
    transfer_id: str
    status: Status
    amount: Money
    fee: Money | None
    total: Money | None
    debtor: PartyOut
    creditor: PartyOut
    reference: str
    purpose: str | None
    metadata: dict[str, str]
    rail: Rail | None
    rail_reason: str | None
    quote_id: str | None
    settlement: Settlement | None
    dataset_versions: dict[str, str]
    rail_reference: str | None
    stage: Literal["screening", "routing", "gateway"] | None
    reason_code: str | None
    reason: str | None
    created_at: datetime
    updated_at: datetime


class TransferPage(BaseModel):
    items: list[Transfer]
    next_cursor: str | None


class StatusCause(BaseModel):
    event_id: str | None
    event_type: str | None
    reason: str | None


class Anomaly(BaseModel):
    from_: Status = Field(alias="from")
    to: Status
    cause: StatusCause


class TimelineEntry(BaseModel):
    event_id: str
    type: str
    v: int
    source: str
    time: datetime
    direction: Literal["emitted", "consumed"]
    status: Status
    outcome: Literal["applied", "confirmation", "late", "anomaly"] | None
    implied: bool
    data: dict[str, Any]
    anomaly: Anomaly | None = None


class TransferTimeline(BaseModel):
    transfer_id: str
    events: list[TimelineEntry]
