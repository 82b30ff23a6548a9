"""Building events the way CTS does, and reading what the gateway wrote."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from storo_outbox import make_envelope, tables

from storo_gw_usdc import SCHEMA

USDC_ASSET = 31566704


def submitted(
    account: str, amount: str = "125.50", currency: str = "USDC", **data: Any
) -> dict[str, Any]:
    transfer_id = str(data.pop("transfer_id", uuid.uuid4()))
    body: dict[str, Any] = {
        "transfer_id": transfer_id,
        "rail": "usdc",
        "amount": {"amount": amount, "currency": currency},
        "fee": {"amount": "1.50", "currency": "USDC"},
        "debtor": {
            "name": "Thandi Nkosi",
            "account": "ZA-STORO-000123",
            "institution": None,
            "country": "ZA",
            "type": "individual",
        },
        "creditor": {
            "name": "Tendai Moyo",
            "account": account,
            "institution": None,
            "country": "ZW",
            "type": "individual",
        },
        "reference": "INV-2026-0042",
        "purpose": "family support",
        "quote_id": "q_01",
        "dataset_versions": {"fees": "2026-12-01"},
        "settlement": {
            "window": "usdc-continuous",
            "cutoff_at": "2026-12-03T15:00:00Z",
            "expected_settlement_date": "2026-12-03",
        },
        "submitted_at": "2026-12-03T10:00:00.123456Z",
    }
    body.update(data)
    return make_envelope(
        type="transfers.submitted.usdc",
        source="storo-cts",
        subject=transfer_id,
        data=body,
    )


def outbox(engine: Engine) -> list[dict[str, Any]]:
    """Every envelope the gateway has written to its outbox, oldest first."""
    table = tables(SCHEMA).outbox
    with engine.connect() as conn:
        rows = conn.execute(sa.select(table.c.envelope).order_by(table.c.id)).all()
    return [row.envelope for row in rows]


def of_type(envelopes: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [e for e in envelopes if e["type"] == type_]
