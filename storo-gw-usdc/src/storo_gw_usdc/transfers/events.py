"""The `data` of the events this gateway emits, written into the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session
from storo_outbox import emit
from storo_platform.money import Money

from storo_gw_usdc import RAIL, SCHEMA, SERVICE


def stamp(moment: datetime | None = None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _emit(session: Session, type_: str, transfer_id: uuid.UUID, data: dict) -> dict:
    return emit(
        session,
        schema=SCHEMA,
        type=type_,
        source=SERVICE,
        subject=str(transfer_id),
        data=data,
    )


def rejected(
    session: Session, transfer_id: uuid.UUID, reason_code: str, reason: str
) -> dict[str, Any]:
    return _emit(
        session,
        "transfers.rejected",
        transfer_id,
        {
            "transfer_id": str(transfer_id),
            "rail": RAIL,
            "stage": "gateway",
            "reason_code": reason_code,
            "reason": reason,
            "rejected_at": stamp(),
        },
    )


def accepted(session: Session, transfer_id: uuid.UUID, txid: str) -> dict[str, Any]:
    return _emit(
        session,
        "transfers.accepted",
        transfer_id,
        {
            "transfer_id": str(transfer_id),
            "rail": RAIL,
            "rail_reference": txid,
            "accepted_at": stamp(),
        },
    )


def settled(
    session: Session,
    transfer_id: uuid.UUID,
    txid: str,
    amount: Money,
    details: dict[str, str | int],
) -> dict[str, Any]:
    return _emit(
        session,
        "transfers.settled",
        transfer_id,
        {
            "transfer_id": str(transfer_id),
            "rail": RAIL,
            "rail_reference": txid,
            "amount": amount.to_wire(),
            "settled_at": stamp(),
            "proof": "rail_confirmation",
            "details": details,
        },
    )


def failed(
    session: Session,
    transfer_id: uuid.UUID,
    txid: str | None,
    reason_code: str,
    reason: str,
) -> dict[str, Any]:
    return _emit(
        session,
        "transfers.failed",
        transfer_id,
        {
            "transfer_id": str(transfer_id),
            "rail": RAIL,
            "rail_reference": txid,
            "reason_code": reason_code,
            "reason": reason,
            "failed_at": stamp(),
        },
    )


def returned(
    session: Session, transfer_id: uuid.UUID, txid: str, reason_code: str, reason: str
) -> dict[str, Any]:
    return _emit(
        session,
        "transfers.returned",
        transfer_id,
        {
            "transfer_id": str(transfer_id),
            "rail": RAIL,
            "rail_reference": txid,
            "reason_code": reason_code,
            "reason": reason,
            "returned_at": stamp(),
            "proof": "rail_confirmation",
        },
    )
