"""The four datasets: their record formats, natural keys and whole-import rules."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic import BaseModel

from storo_directory.bins.schemas import BinRangeRecord
from storo_directory.fees.schemas import FeeScheduleRecord
from storo_directory.institutions.schemas import InstitutionRecord
from storo_directory.settlement.schemas import SettlementWindowRecord

DatasetName = Literal["institutions", "bins", "fees", "settlement_windows"]
DATASET_NAMES: Final[tuple[DatasetName, ...]] = (
    "institutions",
    "bins",
    "fees",
    "settlement_windows",
)


@dataclass(frozen=True)
class RowError:
    """Why one row (1-based, in file order) of an import is refused."""

    row: int
    field: str | None
    rule: str
    message: str

    @property
    def pointer(self) -> str:
        # Row 0 is the import as a whole (its version, its effective-from, its bytes).
        base = f"/records/{self.row - 1}" if self.row else ""
        return f"{base}/{self.field}" if self.field else base or "/"


@dataclass(frozen=True)
class Row:
    number: int
    record: BaseModel


CrossCheck = Callable[[Sequence[Row]], list[RowError]]


@dataclass(frozen=True)
class DatasetKind:
    name: DatasetName
    record: type[BaseModel]
    # Natural key: the sort order of the canonical form, so its hash is stable.
    key: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    checks: tuple[CrossCheck, ...]


def _unique(name: str, rule: str, *fields: str) -> CrossCheck:
    def check(rows: Sequence[Row]) -> list[RowError]:
        seen: dict[tuple[Any, ...], int] = {}
        errors = []
        for row in rows:
            values = tuple(getattr(row.record, f) for f in fields)
            if any(v is None for v in values):
                continue
            if values in seen:
                shown = "/".join(str(v) for v in values)
                errors.append(
                    RowError(
                        row.number,
                        fields[-1],
                        rule,
                        f"{name} {shown} already given in row {seen[values]}",
                    )
                )
            else:
                seen[values] = row.number
        return errors

    return check


def _as_interval(record: BinRangeRecord) -> tuple[int, int]:
    # Every range is compared as the 8-digit prefixes it covers.
    scale = 10 ** (8 - len(record.low))
    return int(record.low) * scale, (int(record.high) + 1) * scale - 1


def _bin_overlaps(rows: Sequence[Row]) -> list[RowError]:
    """Refuse ranges that overlap, unless one nests in a strictly shorter one.

    A nested longer range is a more specific entry that wins the longest-prefix
    lookup; anything else would make a lookup's answer depend on row order.
    """
    spans = []
    for row in rows:
        record = row.record
        assert isinstance(record, BinRangeRecord)
        low, high = _as_interval(record)
        spans.append((low, -high, len(record.low), row.number, record))
    spans.sort(key=lambda s: (s[0], s[1], s[2]))
    errors: list[RowError] = []
    open_: list[tuple[int, int, int, BinRangeRecord]] = []  # (high, length, row, rec)
    for low, neg_high, length, number, record in spans:
        high = -neg_high
        while open_ and open_[-1][0] < low:
            open_.pop()
        if open_:
            outer_high, outer_length, outer_row, outer = open_[-1]
            if high > outer_high or length <= outer_length:
                errors.append(
                    RowError(
                        number,
                        "low",
                        "overlapping_range",
                        f"range {record.low}-{record.high} overlaps row {outer_row} "
                        f"({outer.low}-{outer.high})",
                    )
                )
                continue
        open_.append((high, length, number, record))
    return errors


KINDS: Final[Mapping[str, DatasetKind]] = {
    "institutions": DatasetKind(
        "institutions",
        InstitutionRecord,
        key=lambda r: (r["institution_id"],),
        checks=(
            _unique("institution id", "duplicate_code", "institution_id"),
            _unique("BIC", "duplicate_code", "bic"),
            _unique("national code", "duplicate_code", "country", "national_code"),
        ),
    ),
    "bins": DatasetKind(
        "bins",
        BinRangeRecord,
        key=lambda r: (r["low"], r["high"]),
        checks=(_bin_overlaps,),
    ),
    "fees": DatasetKind(
        "fees",
        FeeScheduleRecord,
        key=lambda r: (r["rail"], r["from"], r["to"], r["currency"]),
        checks=(
            _unique(
                "fee schedule",
                "duplicate_schedule",
                "rail",
                "from_country",
                "to_country",
                "currency",
            ),
        ),
    ),
    "settlement_windows": DatasetKind(
        "settlement_windows",
        SettlementWindowRecord,
        key=lambda r: (r["rail"], r["window"]),
        checks=(_unique("window", "duplicate_window", "rail", "window"),),
    ),
}
