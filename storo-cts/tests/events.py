"""Valid rail events, as gateways and recon send them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import storo_specs
from storo_outbox import make_envelope


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rail_event(
    kind: str,
    transfer_id: str,
    *,
    rail: str = "oppwa",
    source: str | None = None,
    amount: dict[str, str] | None = None,
) -> dict[str, Any]:
    """An envelope of ``transfers.<kind>`` that storo_specs accepts."""
    reference = f"pay_{uuid.uuid4().hex[:16]}"
    data: dict[str, Any] = {"transfer_id": transfer_id, "rail": rail}
    if kind == "accepted":
        data |= {"rail_reference": reference, "accepted_at": _now()}
    elif kind == "settled":
        data |= {
            "rail_reference": reference,
            "amount": amount or {"amount": "125.50", "currency": "USD"},
            "settled_at": _now(),
            "proof": "statement" if source == "storo-recon" else "rail_confirmation",
            "details": {"batch": "B-7"},
        }
    elif kind == "returned":
        data |= {
            "rail_reference": reference,
            "reason_code": "account_closed",
            "reason": "The creditor's account is closed.",
            "returned_at": _now(),
            "proof": "rail_confirmation",
        }
    elif kind == "failed":
        data |= {
            "rail_reference": None,
            "reason_code": "insufficient_funds",
            "reason": "The hot wallet is short of funds.",
            "failed_at": _now(),
        }
    elif kind == "rejected":
        data |= {
            "stage": "gateway",
            "reason_code": "schema_invalid",
            "reason": "The creditor account is not a valid IBAN.",
            "rejected_at": _now(),
        }
    else:
        raise ValueError(kind)
    envelope = make_envelope(
        type=f"transfers.{kind}",
        source=source or f"storo-gw-{rail}",
        subject=transfer_id,
        data=data,
    )
    storo_specs.validate_event(envelope)
    return envelope
