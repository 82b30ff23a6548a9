"""Every SQL statement of the transfer domain."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, RowMapping
from sqlalchemy.orm import Session
from storo_outbox import tables as outbox_tables

from storo_cts.settings import SCHEMA
from storo_cts.transfers.tables import quotes, timeline, transfers

STATUS_CHANGED = "transfers.status.changed"


@dataclass(frozen=True)
class StoredResponse:
    fingerprint: str
    status: int | None
    body: dict[str, Any] | None
    headers: dict[str, str] | None


def peek_idempotency(conn: Connection | Session, key: str) -> StoredResponse | None:
    """Read a key's stored response without locking (the fast path of a replay).

    The authoritative check is ``IdempotencyKeys.begin`` inside the write
    transaction; this read only spares a replay the calls to compliance and
    directory.
    """
    keys = outbox_tables(SCHEMA).idempotency_keys
    row = (
        conn.execute(
            sa.select(
                keys.c.fingerprint,
                keys.c.status,
                keys.c.response_body,
                keys.c.response_headers,
            ).where(keys.c.key == key)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    return StoredResponse(
        fingerprint=row["fingerprint"],
        status=row["status"],
        body=row["response_body"],
        headers=row["response_headers"],
    )


# Statements built once: the parameters travel beside them, so each call reuses the
# compiled statement instead of building (and coercing) a new one per row.
_INSERT_TRANSFER = transfers.insert()
_INSERT_QUOTE = quotes.insert()
_INSERT_TIMELINE = timeline.insert()


def insert_transfer(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(_INSERT_TRANSFER, dict(values))


def insert_quote(session: Session, values: Mapping[str, Any]) -> None:
    session.execute(_INSERT_QUOTE, dict(values))


def insert_timeline(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        session.execute(_INSERT_TIMELINE, [dict(r) for r in rows])


def update_transfer(
    session: Session, transfer_id: uuid.UUID, values: Mapping[str, Any]
) -> None:
    session.execute(
        transfers.update().where(transfers.c.id == transfer_id).values(**values)
    )


def lock_transfer(session: Session, transfer_id: uuid.UUID) -> RowMapping | None:
    """Read a transfer and hold its row lock until the transaction ends.

    Rail events for one transfer may be handled concurrently by several consumer
    processes; the lock puts them in a line.
    """
    return (
        session.execute(
            sa.select(transfers).where(transfers.c.id == transfer_id).with_for_update()
        )
        .mappings()
        .first()
    )


def history(session: Session, transfer_id: uuid.UUID) -> tuple[int, set[str]]:
    """The last timeline sequence number and every status the transfer was in."""
    rows = session.execute(
        sa.select(timeline.c.seq, timeline.c.type, timeline.c.to_status).where(
            timeline.c.transfer_id == transfer_id
        )
    ).all()
    last = max((r.seq for r in rows), default=0)
    visited = {r.to_status for r in rows if r.type == STATUS_CHANGED}
    return last, visited


def get_transfer(
    session: Session, transfer_id: uuid.UUID
) -> tuple[RowMapping, RowMapping | None] | None:
    row = (
        session.execute(sa.select(transfers).where(transfers.c.id == transfer_id))
        .mappings()
        .first()
    )
    if row is None:
        return None
    quote = (
        session.execute(sa.select(quotes).where(quotes.c.transfer_id == transfer_id))
        .mappings()
        .first()
    )
    return row, quote


@dataclass(frozen=True)
class ListFilter:
    status: str | None = None
    rail: str | None = None
    created_gte: datetime | None = None
    created_lt: datetime | None = None


def list_transfers(
    session: Session,
    filters: ListFilter,
    *,
    after: tuple[datetime, uuid.UUID] | None,
    limit: int,
) -> list[tuple[RowMapping, RowMapping | None]]:
    """Transfers newest first, from just after the cursor's (created_at, id)."""
    query = sa.select(transfers)
    if filters.status is not None:
        query = query.where(transfers.c.status == filters.status)
    if filters.rail is not None:
        query = query.where(transfers.c.rail == filters.rail)
    if filters.created_gte is not None:
        query = query.where(transfers.c.created_at >= filters.created_gte)
    if filters.created_lt is not None:
        query = query.where(transfers.c.created_at < filters.created_lt)
    if after is not None:
        query = query.where(
            sa.tuple_(transfers.c.created_at, transfers.c.id)
            < sa.tuple_(sa.literal(after[0]), sa.literal(after[1]))
        )
    query = query.order_by(transfers.c.created_at.desc(), transfers.c.id.desc())
    rows = session.execute(query.limit(limit)).mappings().all()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    quoted = {
        q["transfer_id"]: q
        for q in session.execute(
            sa.select(quotes).where(quotes.c.transfer_id.in_(ids))
        ).mappings()
    }
    return [(r, quoted.get(r["id"])) for r in rows]


def get_timeline(session: Session, transfer_id: uuid.UUID) -> list[RowMapping] | None:
    exists = session.execute(
        sa.select(transfers.c.id).where(transfers.c.id == transfer_id)
    ).first()
    if exists is None:
        return None
    return list(
        session.execute(
            sa.select(timeline)
            .where(timeline.c.transfer_id == transfer_id)
            .order_by(timeline.c.seq)
        )
        .mappings()
        .all()
    )
