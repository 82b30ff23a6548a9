"""The BIN ranges dataset: its record format and its API shapes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from storo_directory.recordtypes import Country

Scheme = Literal[
    "visa", "mastercard", "amex", "unionpay", "diners", "discover", "jcb", "maestro"
]
CardType = Literal["debit", "credit", "prepaid", "unknown"]


class BinRangeRecord(BaseModel):
    """One row of a BIN import: every prefix from `low` to `high`, both included.

    `low` and `high` have the same length, six to eight digits; a longer range nested
    inside a shorter one is more specific and wins the lookup (longest prefix).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    low: str = Field(pattern=r"^\d{6,8}$")
    high: str = Field(pattern=r"^\d{6,8}$")
    scheme: Scheme
    issuer: str | None = Field(default=None, min_length=1, max_length=140)
    issuer_institution: str | None = Field(default=None, max_length=40)
    country: Country | None = None
    card_type: CardType = "unknown"

    @model_validator(mode="after")
    def _well_formed(self) -> "BinRangeRecord":
        if len(self.low) != len(self.high):
            raise PydanticCustomError(
                "length_mismatch",
                "low {low} and high {high} must have the same number of digits",
                {"low": self.low, "high": self.high},
            )
        if int(self.low) > int(self.high):
            raise PydanticCustomError(
                "range_reversed",
                "low {low} is above high {high}",
                {"low": self.low, "high": self.high},
            )
        return self


class BinMatch(BaseModel):
    bin: str
    low: str
    high: str
    prefix_length: int
    scheme: Scheme
    issuer: str | None
    issuer_institution: str | None
    country: str | None
    card_type: CardType
    dataset_version: str
