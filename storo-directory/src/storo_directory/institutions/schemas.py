"""The institutions dataset: its record format and its API shapes."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from storo_directory.recordtypes import Bic, Country, Digits, RailList

InstitutionKind = Literal["bank", "mobile_money", "central_bank"]
InstitutionStatus = Literal["active", "suspended", "withdrawn"]


class InstitutionRecord(BaseModel):
    """One row of an institutions import."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    institution_id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    name: str = Field(min_length=1, max_length=140)
    short_name: str = Field(min_length=1, max_length=40)
    kind: InstitutionKind
    country: Country
    bic: Bic | None = None
    # ZA: the bank's universal (electronic) branch code; elsewhere a national code.
    national_code: Digits | None = Field(default=None, min_length=3, max_length=10)
    rails: RailList = ()
    status: InstitutionStatus = "active"

    @model_validator(mode="after")
    def _bic_matches_country(self) -> "InstitutionRecord":
        if self.bic is not None and self.bic[4:6] != self.country:
            raise PydanticCustomError(
                "bic_country_mismatch",
                "BIC {bic} is registered in {bic_country}, not {country}",
                {
                    "bic": self.bic,
                    "bic_country": self.bic[4:6],
                    "country": self.country,
                },
            )
        return self


class Institution(BaseModel):
    institution_id: str
    name: str
    short_name: str
    kind: InstitutionKind
    country: str
    bic: str | None
    national_code: str | None
    rails: list[str]
    status: InstitutionStatus
    dataset_version: str


class InstitutionPage(BaseModel):
    items: list[Institution]
    # Opaque; it pins the version of the first page, so pages never mix versions.
    next_cursor: str | None
    dataset_version: str
    total: int
