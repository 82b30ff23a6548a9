"""Builders of the transfer events the ledger consumes, valid per storo-specs."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from storo_outbox import make_envelope
from storo_outbox.envelope import rfc3339

RAIL_CURRENCY = {"usdc": "USDC", "oppwa": "ZAR", "zimswitch": "ZWG"}


def _now(offset: float = 0.0) -> str:
    return rfc3339(datetime.now(UTC) + timedelta(seconds=offset))


def validate(envelope: dict[str, Any]) -> None:
    from storo_specs import validate_event

    validate_event(envelope)


def _valid(envelope: dict[str, Any]) -> dict[str, Any]:
    validate(envelope)
    return envelope


def new_transfer() -> str:
    return str(uuid.uuid4())


def new_account() -> str:
    return f"ZA{uuid.uuid4().hex[:18].upper()}"


def submitted(
    transfer_id: str,
    debtor: str,
    *,
    amount: str = "100.00",
    fee: str = "2.50",
    rail: str = "oppwa",
    currency: str | None = None,
    cutoff_in: timedelta = timedelta(hours=2),
) -> dict[str, Any]:
    code = currency or RAIL_CURRENCY[rail]
    cutoff = datetime.now(UTC) + cutoff_in
    return _valid(
        make_envelope(
            type=f"transfers.submitted.{rail}",
            source="storo-cts",
            subject=transfer_id,
            data={
                "transfer_id": transfer_id,
                "rail": rail,
                "amount": {"amount": amount, "currency": code},
                "fee": {"amount": fee, "currency": code},
                "debtor": {
                    "name": "Thandiwe Nkosi",
                    "account": debtor,
                    "institution": "FIRNZAJJ",
                    "country": "ZA",
                    "type": "individual",
                },
                "creditor": {
                    "name": "Tendai Moyo",
                    "account": "ZW00012345678",
                    "institution": None,
                    "country": "ZW",
                    "type": "individual",
                },
                "reference": "invoice 42",
                "purpose": None,
                "quote_id": str(uuid.uuid4()),
                "dataset_versions": {"fees": "2026.12.1"},
                "settlement": {
                    "window": "same_day",
                    "cutoff_at": rfc3339(cutoff),
                    "expected_settlement_date": cutoff.date().isoformat(),
                },
                "submitted_at": _now(),
            },
        )
    )


def settled(
    transfer_id: str,
    *,
    amount: str = "100.00",
    rail: str = "oppwa",
    currency: str | None = None,
    source: str = "storo-gw-oppwa",
    proof: str = "rail_confirmation",
) -> dict[str, Any]:
    code = currency or RAIL_CURRENCY[rail]
    return _valid(
        make_envelope(
            type="transfers.settled",
            source=source,
            subject=transfer_id,
            data={
                "transfer_id": transfer_id,
                "rail": rail,
                "rail_reference": f"ref-{transfer_id[:8]}",
                "amount": {"amount": amount, "currency": code},
                "settled_at": _now(),
                "proof": proof,
                "details": {"batch": "B1"},
            },
        )
    )


def returned(transfer_id: str, *, rail: str = "oppwa") -> dict[str, Any]:
    return _valid(
        make_envelope(
            type="transfers.returned",
            source="storo-recon",
            subject=transfer_id,
            data={
                "transfer_id": transfer_id,
                "rail": rail,
                "rail_reference": None,
                "reason_code": "account_closed",
                "reason": "the beneficiary account is closed",
                "returned_at": _now(),
                "proof": "statement",
            },
        )
    )


def failed(transfer_id: str, *, rail: str = "oppwa") -> dict[str, Any]:
    return _valid(
        make_envelope(
            type="transfers.failed",
            source=f"storo-gw-{rail}",
            subject=transfer_id,
            data={
                "transfer_id": transfer_id,
                "rail": rail,
                "rail_reference": None,
                "reason_code": "validity_window_passed",
                "reason": "the rail did not confirm in time",
                "failed_at": _now(),
            },
        )
    )


def rejected(
    transfer_id: str, *, stage: str = "gateway", rail: str | None = "oppwa"
) -> dict[str, Any]:
    return _valid(
        make_envelope(
            type="transfers.rejected",
            source="storo-cts" if stage != "gateway" else f"storo-gw-{rail}",
            subject=transfer_id,
            data={
                "transfer_id": transfer_id,
                "rail": rail,
                "stage": stage,
                "reason_code": "invalid_wallet"
                if stage == "gateway"
                else "screening_hit",
                "reason": "refused",
                "rejected_at": _now(),
            },
        )
    )
