"""Stored rows -> the API's JSON bodies (the shapes in storo-specs' CTS document)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from storo_platform.money import Money

from storo_cts.transfers.timeline import wire_time


def _money(minor: int | None, currency: str) -> dict[str, str] | None:
    return None if minor is None else Money(minor, currency).to_wire()


def _settlement(quote: Mapping[Any, Any]) -> dict[str, str]:
    return {
        "window": quote["settlement_window"],
        "cutoff_at": wire_time(quote["cutoff_at"]),
        "expected_settlement_date": quote["expected_settlement_date"].isoformat(),
    }


def transfer_view(
    row: Mapping[Any, Any], quote: Mapping[Any, Any] | None
) -> dict[str, Any]:
    fee_currency = quote["currency"] if quote is not None else row["currency"]
    return {
        "transfer_id": str(row["id"]),
        "status": row["status"],
        "amount": Money(row["amount_minor"], row["currency"]).to_wire(),
        "fee": _money(row["fee_minor"], fee_currency),
        "total": _money(quote["total_minor"], fee_currency) if quote else None,
        "debtor": dict(row["debtor"]),
        "creditor": dict(row["creditor"]),
        "reference": row["reference"],
        "purpose": row["purpose"],
        "metadata": dict(row["metadata"]),
        "rail": row["rail"],
        "rail_reason": quote["rail_reason"] if quote else None,
        "quote_id": row["quote_id"],
        "settlement": _settlement(quote) if quote is not None else None,
        "dataset_versions": dict(quote["dataset_versions"]) if quote else {},
        "rail_reference": row["rail_reference"],
        "stage": row["rejection_stage"],
        "reason_code": row["reason_code"],
        "reason": row["reason"],
        "created_at": wire_time(row["created_at"]),
        "updated_at": wire_time(row["updated_at"]),
    }


def timeline_view(row: Mapping[Any, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "event_id": row["event_id"],
        "type": row["type"],
        "v": row["v"],
        "source": row["source"],
        "time": wire_time(row["time"]),
        "direction": row["direction"],
        "status": row["status"],
        "outcome": row["outcome"],
        "implied": row["implied"],
        "data": row["data"],
    }
    if row["outcome"] == "anomaly":
        # Shaped like transfers.status.changed: the change the event asked for,
        # which was recorded here and never applied.
        entry["anomaly"] = {
            "from": row["from_status"],
            "to": row["to_status"],
            "cause": {
                "event_id": row["event_id"],
                "event_type": row["type"],
                "reason": (row["data"] or {}).get("reason_code"),
            },
        }
    return entry
