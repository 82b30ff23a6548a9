"""The fee schedules dataset: one schedule per rail, corridor and currency.

A fee is `fixed + percentage x amount`, rounded as the schedule states, then held
between `minimum` and `maximum` (no maximum: no cap). It is charged in the currency
of the amount, which the rail must carry.
"""

import re
from decimal import Decimal
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError
from storo_platform.money import MoneyError, format_amount, parse_amount

from storo_directory.rails import carries
from storo_directory.recordtypes import Country, Rail

Rounding = Literal["half_up", "half_even", "down", "up"]
_RATE = re.compile(r"^\d+(?:\.\d{1,6})?$")


def _amount_minor(text: str | None, currency: str) -> int | None:
    if text is None:
        return None
    return parse_amount(text, currency, allow_zero=True).minor


class FeeScheduleRecord(BaseModel):
    """One row of a fee schedule import."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    rail: Rail
    from_country: Country = Field(alias="from")
    to_country: Country = Field(alias="to")
    currency: str = Field(pattern=r"^[A-Z]{3,4}$")
    fixed: str
    percentage: str
    minimum: str
    maximum: str | None = None
    rounding: Rounding = "half_up"

    @field_validator("currency")
    @classmethod
    def _rail_carries_currency(cls, value: str, info: ValidationInfo) -> str:
        rail = info.data.get("rail")
        if rail is not None and not carries(rail, value):
            raise PydanticCustomError(
                "rail_does_not_carry_currency",
                "rail {rail} does not carry {currency}",
                {"rail": rail, "currency": value},
            )
        return value

    @field_validator("fixed", "minimum", "maximum")
    @classmethod
    def _amount(cls, value: str | None, info: ValidationInfo) -> str | None:
        currency = info.data.get("currency")
        if value is None or currency is None:
            return value
        if value.lstrip().startswith("-"):
            raise PydanticCustomError(
                "negative_fee",
                "{value} is negative: a fee never pays",
                {"value": value},
            )
        try:
            money = parse_amount(value, currency, allow_zero=True)
        except MoneyError as error:
            raise PydanticCustomError(error.rule, str(error)) from None
        return format_amount(money.minor, currency)

    @field_validator("percentage")
    @classmethod
    def _rate(cls, value: str) -> str:
        if value.lstrip().startswith("-"):
            raise PydanticCustomError(
                "negative_fee",
                "{value} is negative: a fee never pays",
                {"value": value},
            )
        if not _RATE.match(value) or Decimal(value) >= 1:
            raise PydanticCustomError(
                "not_a_rate",
                "'{value}' is not a rate between 0 and 1 with at most 6 decimals",
                {"value": value},
            )
        return value

    @model_validator(mode="after")
    def _minimum_not_above_maximum(self) -> "FeeScheduleRecord":
        low = _amount_minor(self.minimum, self.currency)
        high = _amount_minor(self.maximum, self.currency)
        if low is not None and high is not None and low > high:
            raise PydanticCustomError(
                "minimum_above_maximum",
                "minimum {minimum} is above maximum {maximum}",
                {"minimum": self.minimum, "maximum": self.maximum},
            )
        return self
