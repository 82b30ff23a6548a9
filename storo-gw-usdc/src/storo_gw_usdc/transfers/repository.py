"""SQL for rail transfers and their payload references (and nowhere else)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from storo_gw_usdc.payloads.vault import StoredPayload
from storo_gw_usdc.tables import rail_transfers, raw_payloads
from storo_gw_usdc.transfers.schemas import State

Row = sa.Row[Any]


def now() -> datetime:
    return datetime.now(UTC)


def find(session: Session, transfer_id: uuid.UUID) -> Row | None:
    return session.execute(
        sa.select(rail_transfers).where(rail_transfers.c.transfer_id == transfer_id)
    ).first()


def insert_new(session: Session, **values: Any) -> bool:
    """Insert a transfer's first row; False when the transfer already has one."""
    moment = now()
    inserted = session.execute(
        insert(rail_transfers)
        .values(created_at=moment, updated_at=moment, **values)
        .on_conflict_do_nothing(index_elements=["transfer_id"])
        .returning(rail_transfers.c.transfer_id)
    ).first()
    return inserted is not None


def claim(session: Session, state: State, limit: int) -> list[Row]:
    """Lock up to `limit` rows in `state`, oldest first, skipping rows others hold."""
    return list(
        session.execute(
            sa.select(rail_transfers)
            .where(rail_transfers.c.state == state.value)
            .order_by(rail_transfers.c.updated_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
    )


def lock(session: Session, transfer_id: uuid.UUID, state: State) -> Row | None:
    """Lock one row if it is (still) in `state` and nobody else holds it."""
    return session.execute(
        sa.select(rail_transfers)
        .where(
            rail_transfers.c.transfer_id == transfer_id,
            rail_transfers.c.state == state.value,
        )
        .with_for_update(skip_locked=True)
    ).first()


def count_attempt(session: Session, transfer_ids: list[uuid.UUID]) -> None:
    if transfer_ids:
        session.execute(
            rail_transfers.update()
            .where(rail_transfers.c.transfer_id.in_(transfer_ids))
            .values(attempts=rail_transfers.c.attempts + 1)
        )


def update(session: Session, transfer_id: uuid.UUID, **values: Any) -> None:
    session.execute(
        rail_transfers.update()
        .where(rail_transfers.c.transfer_id == transfer_id)
        .values(updated_at=now(), **values)
    )


def add_payload(
    session: Session, transfer_id: uuid.UUID, kind: str, stored: StoredPayload
) -> None:
    session.execute(
        raw_payloads.insert().values(
            transfer_id=transfer_id,
            kind=kind,
            object_key=stored.object_key,
            stored_at=now(),
            expires_at=stored.expires_at,
        )
    )


def payloads(session: Session, transfer_id: uuid.UUID) -> list[Row]:
    return list(
        session.execute(
            sa.select(raw_payloads)
            .where(raw_payloads.c.transfer_id == transfer_id)
            .order_by(raw_payloads.c.id)
        ).all()
    )


def count_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(
        sa.select(rail_transfers.c.state, sa.func.count()).group_by(
            rail_transfers.c.state
        )
    ).all()
    return {str(state): int(count) for state, count in rows}
