"""SQL of rule-outs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from storo_compliance.db import rule_outs


def insert(session: Session, row: dict[str, Any]) -> None:
    session.execute(rule_outs.insert().values(**row))


def get(
    session: Session, rule_out_id: uuid.UUID, *, lock: bool = False
) -> dict[str, Any] | None:
    query = sa.select(rule_outs).where(rule_outs.c.id == rule_out_id)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).first()
    return dict(row._mapping) if row else None


def decide(session: Session, rule_out_id: uuid.UUID, **values: Any) -> None:
    session.execute(
        rule_outs.update().where(rule_outs.c.id == rule_out_id).values(**values)
    )


def approved_for(
    session: Session, party_key: str, now: datetime
) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(rule_outs).where(
            rule_outs.c.party_key == party_key,
            rule_outs.c.status == "approved",
            sa.or_(rule_outs.c.expires_at.is_(None), rule_outs.c.expires_at > now),
        )
    )
    return [dict(r._mapping) for r in rows]


def listing(
    session: Session, status: str | None, offset: int, limit: int
) -> list[dict[str, Any]]:
    query = (
        sa.select(rule_outs)
        .order_by(rule_outs.c.requested_at.desc(), rule_outs.c.id)
        .offset(offset)
        .limit(limit)
    )
    if status:
        query = query.where(rule_outs.c.status == status)
    return [dict(r._mapping) for r in session.execute(query)]
