"""Longest-prefix lookup of a BIN in one version of the BIN ranges dataset."""

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from storo_platform.problems import BadRequest, FieldError, NotFound

from storo_directory.bins.schemas import BinMatch
from storo_directory.catalog.cache import LoadedVersion

Record = Mapping[str, Any]
_BIN = re.compile(r"^\d{6,8}$")


class NotABin(BadRequest):
    slug = "not-a-bin"
    title = "A BIN is six to eight digits"


class BinNotFound(NotFound):
    slug = "bin-not-found"
    title = "No BIN range covers that BIN"


@dataclass(frozen=True)
class _Ranges:
    lows: list[int]
    highs: list[int]
    records: list[Record]


@dataclass(frozen=True)
class BinIndex:
    # One sorted table per prefix length; within a length ranges never overlap
    # (the import refuses that), so the range holding a prefix is found by bisection.
    by_length: Mapping[int, _Ranges]

    def lookup(self, digits: str) -> Record | None:
        for length in sorted(self.by_length, reverse=True):
            if len(digits) < length:
                continue
            ranges = self.by_length[length]
            prefix = int(digits[:length])
            at = bisect.bisect_right(ranges.lows, prefix) - 1
            if at >= 0 and ranges.highs[at] >= prefix:
                return ranges.records[at]
        return None


def build_index(version: LoadedVersion) -> BinIndex:
    grouped: dict[int, list[Record]] = {}
    for record in version.records:
        grouped.setdefault(len(record["low"]), []).append(record)
    by_length = {}
    for length, records in grouped.items():
        records.sort(key=lambda r: int(r["low"]))
        by_length[length] = _Ranges(
            lows=[int(r["low"]) for r in records],
            highs=[int(r["high"]) for r in records],
            records=records,
        )
    return BinIndex(by_length)


def lookup(version: LoadedVersion, bin_: str) -> BinMatch:
    # Only a BIN is accepted, never a longer (PAN-shaped) number: card numbers stay in
    # the card gateway and must not reach this service's URLs or logs.
    if not _BIN.match(bin_):
        raise NotABin(
            "give the first six to eight digits of the card, never the card number",
            errors=[FieldError(field="/bin", rule="not_a_bin", message="6-8 digits")],
        )
    record = version.derived(build_index).lookup(bin_)
    if record is None:
        raise BinNotFound(
            f"no range in bins {version.version} covers {bin_}",
            bin=bin_,
            dataset_version=version.version,
        )
    return BinMatch(
        bin=bin_,
        low=record["low"],
        high=record["high"],
        prefix_length=len(record["low"]),
        scheme=record["scheme"],
        issuer=record.get("issuer"),
        issuer_institution=record.get("issuer_institution"),
        country=record.get("country"),
        card_type=record["card_type"],
        dataset_version=version.version,
    )
