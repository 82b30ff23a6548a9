"""Whole-import validation: every refusal names the row, the field and the rule."""

import json
from typing import Any

import pytest

from storo_directory.catalog.kinds import KINDS, RowError
from storo_directory.catalog.parsing import UnreadableImport, parse
from storo_directory.catalog.service import canonical_sha256
from storo_directory.catalog.validation import validate_rows


def check(dataset: str, rows: list[dict[str, Any]]) -> list[RowError]:
    records, errors = validate_rows(KINDS[dataset], rows)
    assert bool(records) != bool(errors)
    return errors


def rules(errors: list[RowError]) -> set[tuple[int, str | None, str]]:
    return {(e.row, e.field, e.rule) for e in errors}


def fee(**changes: Any) -> dict[str, Any]:
    row = {
        "rail": "zimswitch",
        "from": "ZA",
        "to": "ZW",
        "currency": "USD",
        "fixed": "1.00",
        "percentage": "0.015",
        "minimum": "1.50",
        "maximum": "40.00",
        "rounding": "half_up",
    }
    row.update(changes)
    return row


def bank(**changes: Any) -> dict[str, Any]:
    row = {
        "institution_id": "za-fnb",
        "name": "FirstRand Bank Limited",
        "short_name": "FNB",
        "kind": "bank",
        "country": "ZA",
        "bic": "FIRNZAJJ",
        "national_code": "250655",
        "rails": ["oppwa"],
    }
    row.update(changes)
    return row


def window(**changes: Any) -> dict[str, Any]:
    row = {
        "rail": "oppwa",
        "window": "oppwa-morning",
        "cutoff": "10:30",
        "settlement_lag_days": 0,
        "calendar_countries": ["ZA"],
    }
    row.update(changes)
    return row


def bin_range(low: str, high: str, **changes: Any) -> dict[str, Any]:
    return {"low": low, "high": high, "scheme": "visa", **changes}


class TestBinRanges:
    def test_overlapping_ranges_of_one_length_are_refused(self) -> None:
        errors = check(
            "bins", [bin_range("400000", "449999"), bin_range("440000", "459999")]
        )
        assert rules(errors) == {(2, "low", "overlapping_range")}
        assert "row 1" in errors[0].message

    def test_longer_range_nested_in_a_shorter_one_is_accepted(self) -> None:
        assert (
            check(
                "bins",
                [bin_range("400000", "499999"), bin_range("41000000", "41000099")],
            )
            == []
        )

    def test_longer_range_straddling_a_shorter_ones_edge_is_refused(self) -> None:
        errors = check(
            "bins", [bin_range("410000", "410000"), bin_range("41000050", "41000150")]
        )
        assert rules(errors) == {(2, "low", "overlapping_range")}

    def test_shorter_range_inside_a_wider_longer_one_is_refused(self) -> None:
        # 41000000-41009999 covers all of 410000's prefixes: the 6-digit entry could
        # never win a longest-prefix lookup, so the import is ambiguous.
        errors = check(
            "bins", [bin_range("41000000", "41009999"), bin_range("410000", "410000")]
        )
        assert rules(errors) == {(2, "low", "overlapping_range")}

    def test_reversed_and_mixed_length_ranges_are_refused(self) -> None:
        errors = check(
            "bins", [bin_range("499999", "400000"), bin_range("420000", "4299999")]
        )
        assert rules(errors) == {
            (1, "high", "range_reversed"),
            (2, "high", "length_mismatch"),
        }

    def test_five_digit_range_is_refused(self) -> None:
        errors = check("bins", [bin_range("41000", "41999")])
        assert {e.rule for e in errors} == {"string_pattern_mismatch"}


class TestFees:
    def test_negative_fee_is_refused(self) -> None:
        errors = check(
            "fees", [fee(fixed="-1.00"), fee(rail="oppwa", percentage="-0.01")]
        )
        assert rules(errors) == {
            (1, "fixed", "negative_fee"),
            (2, "percentage", "negative_fee"),
        }

    def test_minimum_above_maximum_is_refused(self) -> None:
        errors = check("fees", [fee(minimum="50.00", maximum="40.00")])
        assert rules(errors) == {(1, "minimum", "minimum_above_maximum")}

    def test_unknown_rail_is_refused(self) -> None:
        errors = check("fees", [fee(rail="swift")])
        assert rules(errors) == {(1, "rail", "unknown_rail")}

    def test_currency_the_rail_does_not_carry_is_refused(self) -> None:
        errors = check("fees", [fee(rail="usdc", currency="ZAR")])
        assert rules(errors) == {(1, "currency", "rail_does_not_carry_currency")}

    def test_more_decimals_than_the_currency_has_are_refused(self) -> None:
        errors = check("fees", [fee(fixed="1.005")])
        assert rules(errors) == {(1, "fixed", "too_many_decimals")}

    def test_duplicate_schedule_is_refused(self) -> None:
        errors = check("fees", [fee(), fee(fixed="2.00")])
        assert rules(errors) == {(2, "currency", "duplicate_schedule")}

    def test_amounts_are_stored_in_canonical_form(self) -> None:
        records, _ = validate_rows(KINDS["fees"], [fee(fixed="1.5", maximum=None)])
        assert records[0]["fixed"] == "1.50"
        assert records[0]["maximum"] is None


class TestSettlementWindows:
    @pytest.mark.parametrize("cutoff", ["24:00", "12:61", "9am", "10:30:00", "1030"])
    def test_impossible_time_is_refused(self, cutoff: str) -> None:
        errors = check("settlement_windows", [window(cutoff=cutoff)])
        assert rules(errors) == {(1, "cutoff", "impossible_time")}

    def test_unknown_rail_and_calendar_are_refused(self) -> None:
        errors = check(
            "settlement_windows",
            [
                window(rail="swift"),
                window(window="w2", calendar_countries=["ZA", "US"]),
            ],
        )
        assert rules(errors) == {
            (1, "rail", "unknown_rail"),
            (2, "calendar_countries/1", "unknown_calendar"),
        }

    def test_duplicate_window_is_refused(self) -> None:
        errors = check("settlement_windows", [window(), window(cutoff="11:00")])
        assert rules(errors) == {(2, "window", "duplicate_window")}


class TestInstitutions:
    def test_duplicate_codes_are_refused(self) -> None:
        errors = check(
            "institutions",
            [
                bank(),
                bank(bic="SBZAZAJJ", national_code="051001"),  # same id
                bank(
                    institution_id="za-fnb-2", bic="FIRNZAJJXXX", national_code="111111"
                ),
                bank(institution_id="za-x", bic=None, national_code="250655"),
            ],
        )
        assert {(e.row, e.rule) for e in errors} >= {
            (2, "duplicate_code"),
            (3, "duplicate_code"),
            (4, "duplicate_code"),
        }

    def test_unknown_rail_is_refused(self) -> None:
        errors = check("institutions", [bank(rails=["oppwa", "wire"])])
        assert rules(errors) == {(1, "rails/1", "unknown_rail")}

    def test_bic_of_another_country_is_refused(self) -> None:
        errors = check("institutions", [bank(country="ZW")])
        assert rules(errors) == {(1, "bic", "bic_country_mismatch")}

    def test_malformed_bic_is_refused(self) -> None:
        errors = check("institutions", [bank(bic="FIRN-ZA")])
        assert rules(errors) == {(1, "bic", "not_a_bic")}

    def test_unknown_field_is_refused(self) -> None:
        errors = check("institutions", [bank(swift="FIRNZAJJ")])
        assert rules(errors) == {(1, "swift", "extra_forbidden")}


class TestParsing:
    def test_csv_lists_and_empty_cells(self) -> None:
        body = (
            b"rail,window,cutoff,settlement_lag_days,calendar_countries\n"
            b"usdc,usdc-onchain,23:59,0,\n"
            b"oppwa,oppwa-x,10:00,1,ZA|ZW\n"
        )
        records, errors = validate_rows(
            KINDS["settlement_windows"], parse(body, "csv").rows
        )
        assert errors == []
        assert [r["calendar_countries"] for r in records] == [["ZA", "ZW"], []]

    def test_csv_row_with_too_many_cells_is_refused(self) -> None:
        body = b"low,high,scheme\n400000,499999,visa,extra\n"
        with pytest.raises(UnreadableImport) as raised:
            parse(body, "csv")
        assert [(e.row, e.rule) for e in raised.value.errors] == [(1, "too_many_cells")]

    def test_json_that_is_not_a_list_of_records_is_refused(self) -> None:
        with pytest.raises(UnreadableImport) as raised:
            parse(b'{"records": 3}', "json")
        assert raised.value.errors[0].rule == "not_a_record_list"

    def test_broken_json_is_refused(self) -> None:
        with pytest.raises(UnreadableImport) as raised:
            parse(b"[{", "json")
        assert raised.value.errors[0].rule == "not_json"

    def test_empty_import_is_refused(self) -> None:
        assert [e.rule for e in check("bins", [])] == ["empty"]


def test_hash_does_not_depend_on_row_order() -> None:
    rows = [bin_range("400000", "499999"), bin_range("510000", "559999")]
    forward, _ = validate_rows(KINDS["bins"], rows)
    backward, _ = validate_rows(KINDS["bins"], list(reversed(rows)))
    assert canonical_sha256(forward) == canonical_sha256(backward)
    assert canonical_sha256(forward) != canonical_sha256(forward[:1])
    assert json.dumps(forward) == json.dumps(backward)
