"""SQL of stored screenings."""

from __future__ import annotations

import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storo_compliance.db import screenings


def insert(session: Session, row: dict[str, Any]) -> None:
    session.execute(screenings.insert().values(**row))


def get(session: Session, screening_id: uuid.UUID) -> dict[str, Any] | None:
    found = session.execute(
        sa.select(screenings).where(screenings.c.id == screening_id)
    ).first()
    return dict(found._mapping) if found else None


def by_reference(session: Session, reference: str) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(screenings)
        .where(screenings.c.reference == reference)
        .order_by(screenings.c.screened_at, screenings.c.id)
    )
    return [dict(r._mapping) for r in rows]
