"""Assertions shared by the test modules: what the database and the outbox hold."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import storo_specs
from sqlalchemy.engine import Engine


def count(admin: Engine, table: str, where: str = "true", **params: Any) -> int:
    # The table and filter come from the tests themselves, never from input.
    query = sa.text(f"SELECT count(*) FROM cts.{table} WHERE {where}")  # noqa: S608
    with admin.connect() as conn:
        return int(
            conn.execute(
                query,
                params,
            ).scalar_one()
        )


def outbox(admin: Engine, transfer_id: str) -> list[dict[str, Any]]:
    """The envelopes written for one transfer, in order, each checked by the specs."""
    with admin.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT envelope FROM cts.outbox WHERE subject = :s ORDER BY id"),
            {"s": transfer_id},
        ).scalars()
        envelopes = [dict(r) for r in rows]
    for envelope in envelopes:
        storo_specs.validate_event(envelope)
    return envelopes


def types(envelopes: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in envelopes]


def changes(envelopes: list[dict[str, Any]]) -> list[tuple[str | None, str]]:
    return [
        (e["data"]["from"], e["data"]["to"])
        for e in envelopes
        if e["type"] == "transfers.status.changed"
    ]


def check_api(component: str, instance: Any) -> None:
    storo_specs.validate_api("cts", component, instance)
