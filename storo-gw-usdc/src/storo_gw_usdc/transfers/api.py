"""Read-only view of a transfer on this rail, for operators and CTS support."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from storo_platform.money import format_amount
from storo_platform.problems import NotFound

from storo_gw_usdc.transfers import repository


def router(engine_of: Callable[[], Engine]) -> APIRouter:
    api = APIRouter(prefix="/v1")

    @api.get("/rail-transfers/{transfer_id}")
    def rail_transfer(transfer_id: uuid.UUID) -> dict[str, Any]:
        with Session(engine_of()) as session:
            row = repository.find(session, transfer_id)
            if row is None:
                raise NotFound(f"no rail transfer {transfer_id}")
            kinds = [p.kind for p in repository.payloads(session, transfer_id)]
        return {
            "transfer_id": str(row.transfer_id),
            "state": row.state,
            "amount": {
                "amount": format_amount(row.amount_minor, row.currency),
                "currency": row.currency,
            },
            "asset_id": row.asset_id,
            "sender": row.sender,
            "receiver": row.receiver,
            "txid": row.txid,
            "first_valid": row.first_valid,
            "last_valid": row.last_valid,
            "confirmed_round": row.confirmed_round,
            "reason_code": row.reason_code,
            "attempts": row.attempts,
            "payloads": kinds,
        }

    return api
