"""The strict transform: an instruction, or a rejection with the fleet's reason."""

from __future__ import annotations

import uuid

import pytest
from storo_specs import EventInvalid

from storo_gw_usdc.transfers.schemas import Instruction, ReasonCode, Rejection
from storo_gw_usdc.transfers.transform import NoTransferId, admit, transform
from tests.conftest import CREDITOR
from tests.helpers import submitted


def rejection(envelope: dict) -> Rejection:
    outcome = transform(envelope)
    assert isinstance(outcome, Rejection), outcome
    return outcome


class TestTransform:
    def test_a_valid_event_becomes_an_instruction_in_base_units(self) -> None:
        envelope = submitted(CREDITOR.address, amount="125.5")
        outcome = transform(envelope)
        assert outcome == Instruction(
            transfer_id=uuid.UUID(envelope["data"]["transfer_id"]),
            event_id=envelope["id"],
            receiver=CREDITOR.address,
            amount_minor=125_500_000,
            currency="USDC",
        )

    def test_six_decimals_are_carried_exactly(self) -> None:
        outcome = transform(submitted(CREDITOR.address, amount="0.000001"))
        assert isinstance(outcome, Instruction)
        assert outcome.amount_minor == 1

    def test_another_currency_is_unsupported(self) -> None:
        assert rejection(submitted(CREDITOR.address, currency="ZAR")).reason_code is (
            ReasonCode.UNSUPPORTED_CURRENCY
        )

    def test_seven_decimals_are_too_precise(self) -> None:
        found = rejection(submitted(CREDITOR.address, amount="1.0000001"))
        assert found.reason_code is ReasonCode.AMOUNT_PRECISION

    @pytest.mark.parametrize(
        "account",
        [
            "ZW-BANK-00123",
            CREDITOR.address[:-1] + ("A" if CREDITOR.address[-1] != "A" else "B"),
            CREDITOR.address.lower(),
        ],
    )
    def test_a_creditor_that_is_no_algorand_address_is_invalid(
        self, account: str
    ) -> None:
        assert rejection(submitted(account)).reason_code is ReasonCode.INVALID_WALLET

    def test_a_payload_off_its_schema_is_schema_invalid(self) -> None:
        envelope = submitted(CREDITOR.address)
        del envelope["data"]["reference"]
        found = rejection(envelope)
        assert found.reason_code is ReasonCode.SCHEMA_INVALID
        assert "/data" in found.reason

    def test_a_float_amount_is_schema_invalid(self) -> None:
        envelope = submitted(CREDITOR.address)
        envelope["data"]["amount"]["amount"] = 12.5
        assert rejection(envelope).reason_code is ReasonCode.SCHEMA_INVALID

    def test_a_zero_amount_is_schema_invalid(self) -> None:
        assert rejection(submitted(CREDITOR.address, amount="0.00")).reason_code is (
            ReasonCode.SCHEMA_INVALID
        )


class TestAdmit:
    def test_bad_data_is_let_through_to_be_rejected(self) -> None:
        envelope = submitted(CREDITOR.address, currency="ZAR")
        admit(envelope)

    def test_a_broken_envelope_is_refused(self) -> None:
        envelope = submitted(CREDITOR.address)
        del envelope["specversion"]
        with pytest.raises(EventInvalid):
            admit(envelope)

    def test_data_without_any_transfer_id_is_refused(self) -> None:
        envelope = submitted(CREDITOR.address)
        envelope["data"]["transfer_id"] = "not-a-uuid"
        envelope["subject"] = "not-a-uuid"
        with pytest.raises(NoTransferId):
            admit(envelope)
