from __future__ import annotations

import copy
from typing import Any

import pytest

import storo_specs
from storo_specs import (
    ContractError,
    EventInvalid,
    Issue,
    UnknownEventType,
    UnknownEventVersion,
    validate_event,
)
from tests.conftest import FIXTURES, load


def issues_of(envelope: Any) -> set[tuple[str, str]]:
    with pytest.raises(EventInvalid) as caught:
        validate_event(envelope)
    return {(i.pointer, i.rule) for i in caught.value.issues}


class TestValidEnvelopes:
    @pytest.mark.parametrize(
        "path", sorted((FIXTURES / "events/valid").glob("*.json")), ids=lambda p: p.stem
    )
    def test_golden_envelope_validates(self, path):
        validate_event(load(path))

    def test_traceparent_may_be_absent(self, accepted):
        del accepted["traceparent"]
        validate_event(accepted)

    def test_unknown_extension_attribute_is_allowed(self, accepted):
        accepted["partitionkey"] = "abc"
        validate_event(accepted)

    def test_unknown_data_field_is_tolerated_for_older_consumers(self, accepted):
        accepted["data"]["confirmations"] = 3
        validate_event(accepted)


class TestErrors:
    def test_issue_names_pointer_rule_and_message(self, accepted):
        accepted["data"]["rail"] = "swift"
        with pytest.raises(EventInvalid) as caught:
            validate_event(accepted)
        (issue,) = caught.value.issues
        assert issue == Issue("/data/rail", "enum", issue.message)
        assert "swift" in issue.message
        assert "/data/rail: enum" in str(caught.value)

    def test_every_issue_is_reported_not_only_the_first(self, accepted):
        accepted["data"]["rail"] = "swift"
        accepted["time"] = "yesterday"
        del accepted["data"]["accepted_at"]
        assert issues_of(accepted) == {
            ("/data/rail", "enum"),
            ("/time", "utc_timestamp"),
            ("/data/accepted_at", "required"),
        }

    def test_unknown_type_is_its_own_error(self, accepted):
        accepted["type"] = "transfers.teleported"
        with pytest.raises(UnknownEventType) as caught:
            validate_event(accepted)
        assert caught.value.type == "transfers.teleported"

    def test_unknown_version_names_the_known_ones(self, accepted):
        accepted["v"] = 7
        with pytest.raises(UnknownEventVersion) as caught:
            validate_event(accepted)
        assert (caught.value.v, caught.value.known) == (7, [1])

    def test_errors_share_one_base(self):
        for cls in (EventInvalid, UnknownEventType, UnknownEventVersion):
            assert issubclass(cls, ContractError)

    def test_not_an_object(self):
        assert issues_of(["not", "an", "envelope"]) == {("", "type")}

    def test_missing_type_is_an_envelope_issue(self, accepted):
        del accepted["type"]
        assert ("/type", "required") in issues_of(accepted)

    def test_boolean_version_is_not_an_integer(self, accepted):
        accepted["v"] = True
        assert issues_of(accepted) == {("/v", "type")}

    def test_input_is_not_modified(self, accepted):
        before = copy.deepcopy(accepted)
        validate_event(accepted)
        assert accepted == before


class TestMoney:
    @pytest.mark.parametrize(
        ("amount", "currency"),
        [
            ("125.50", "ZAR"),
            ("125.5", "USD"),
            ("300", "ZWG"),
            ("1.123456", "USDC"),
            ("12", "JPY"),
            ("1.125", "KWD"),
            ("0.01", "BWP"),
        ],
    )
    def test_amount_within_exponent(self, accepted, amount, currency):
        settled = load(FIXTURES / "events/valid/transfers.settled.json")
        settled["data"]["amount"] = {"amount": amount, "currency": currency}
        validate_event(settled)

    @pytest.mark.parametrize(
        ("amount", "currency", "rule"),
        [
            ("125.505", "ZAR", "too_many_decimals"),
            ("1.5", "JPY", "too_many_decimals"),
            ("1.1234567", "USDC", "too_many_decimals"),
            ("1.1255", "KWD", "too_many_decimals"),
            ("01.50", "ZAR", "not_a_decimal_string"),
            ("1.", "ZAR", "not_a_decimal_string"),
            (".5", "ZAR", "not_a_decimal_string"),
            ("1e3", "ZAR", "not_a_decimal_string"),
            ("0", "ZAR", "zero"),
            ("1.00", "zar", "unknown_currency"),
        ],
    )
    def test_amount_rules(self, amount, currency, rule):
        settled = load(FIXTURES / "events/valid/transfers.settled.json")
        settled["data"]["amount"] = {"amount": amount, "currency": currency}
        assert {r for _, r in issues_of(settled)} == {rule}


class TestCardNumbers:
    @pytest.mark.parametrize(
        "text",
        [
            "4111111111111111",
            "ref 5555555555554444 x",
            "4012-8888-8888-1881",
            "378282246310005",
            "6011 1111 1111 1117",
        ],
    )
    def test_pan_shaped_string_is_refused(self, text):
        envelope = load(FIXTURES / "events/valid/transfers.submitted.usdc.json")
        envelope["data"]["purpose"] = text
        assert issues_of(envelope) == {("/data/purpose", "card_number")}

    @pytest.mark.parametrize(
        "text",
        [
            "4111111111111112",
            "123456789012",
            "41111111111111111111",
            "9f2b5c0d4111111111111111e7a6b5c4",
        ],
        ids=["luhn-fails", "twelve-digits", "twenty-digits", "inside-a-hex-digest"],
    )
    def test_digits_that_are_not_a_pan_pass(self, text):
        envelope = load(FIXTURES / "events/valid/transfers.submitted.usdc.json")
        envelope["data"]["purpose"] = text
        validate_event(envelope)

    def test_pan_in_a_key_is_refused(self):
        envelope = load(FIXTURES / "events/valid/transfers.submitted.usdc.json")
        envelope["data"]["dataset_versions"]["4111111111111111"] = "1"
        pointer = "/data/dataset_versions/4111111111111111"
        assert issues_of(envelope) == {(pointer, "card_number")}

    def test_card_gateway_may_emit_card_data(self, accepted):
        accepted["source"] = "storo-gw-oppwa"
        accepted["data"]["rail"] = "oppwa"
        accepted["data"]["rail_reference"] = "4111111111111111"
        validate_event(accepted)

    def test_other_gateways_may_not(self, accepted):
        accepted["data"]["rail_reference"] = "4111111111111111"
        assert issues_of(accepted) == {("/data/rail_reference", "card_number")}


class TestCatalogue:
    def test_every_event_type_of_the_brief_is_defined(self):
        expected = {
            "transfers.submitted.usdc",
            "transfers.submitted.oppwa",
            "transfers.submitted.zimswitch",
            "transfers.rejected",
            "transfers.status.changed",
            "transfers.accepted",
            "transfers.settled",
            "transfers.returned",
            "transfers.failed",
            "ledger.entry.posted",
            "ledger.posting.refused",
            "compliance.lists.refreshed",
            "directory.dataset.published",
            "recon.exception.raised",
        }
        assert set(storo_specs.event_types()) == {(t, 1) for t in expected}

    def test_event_schema_is_a_copy(self):
        schema = storo_specs.event_schema("transfers.accepted", 1)
        schema["title"] = "changed"
        assert storo_specs.event_schema("transfers.accepted", 1)["title"] != "changed"

    def test_event_schema_unknown(self):
        with pytest.raises(UnknownEventType):
            storo_specs.event_schema("nope.never", 1)
        with pytest.raises(UnknownEventVersion):
            storo_specs.event_schema("transfers.accepted", 2)

    @pytest.mark.parametrize(("type_", "v"), storo_specs.event_types())
    def test_each_schema_names_producers_and_consumers(self, type_, v):
        schema = storo_specs.event_schema(type_, v)
        meta = schema["x-storo-event"]
        assert schema["properties"]["source"]["enum"] == meta["producers"]
        assert "Produced by" in schema["description"]
        assert "Consumed by" in schema["description"]
        assert schema["properties"]["v"] == {"const": v}
