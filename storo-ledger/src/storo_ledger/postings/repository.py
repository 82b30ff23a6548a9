"""SQL of holds and of events parked until their transfer's hold exists."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from storo_ledger.postings.rules import HoldTerms

HOLD_COLUMNS = """
    id::text AS id, transfer_id::text AS transfer_id, status, debtor_account, rail,
    amount, currency, fee, fee_currency, expires_at, refusal_reason
"""


@dataclass(frozen=True)
class HoldRow:
    id: str
    transfer_id: str
    status: str
    debtor_account: str | None
    rail: str | None
    amount: int | None
    currency: str | None
    fee: int | None
    fee_currency: str | None
    expires_at: datetime | None
    refusal_reason: str | None

    @property
    def terms(self) -> HoldTerms:
        if self.debtor_account is None or self.rail is None or self.amount is None:
            raise ValueError(f"hold {self.id} has no terms (status {self.status})")
        if self.currency is None or self.fee is None or self.fee_currency is None:
            raise ValueError(f"hold {self.id} has incomplete terms")
        return HoldTerms(
            debtor_account=self.debtor_account,
            rail=self.rail,
            amount=self.amount,
            currency=self.currency,
            fee=self.fee,
            fee_currency=self.fee_currency,
        )


@dataclass(frozen=True)
class Placed:
    hold_id: str
    had_parked_events: bool


def place(
    session: Session,
    *,
    transfer_id: str,
    terms: HoldTerms,
    expires_at: datetime,
    event_id: str,
) -> Placed | None:
    """Insert the pending hold, or fill in the placeholder of early events.

    None when the transfer already has a real hold (a repeated submission). The
    unique index on transfer_id makes a concurrent early event wait for this insert
    (or this insert wait for it), so no event is parked after its hold was placed.
    """
    row = session.execute(
        text(
            """
            INSERT INTO ledger.holds AS h (id, transfer_id, status, debtor_account,
                   rail, amount, currency, fee, fee_currency, expires_at,
                   submitted_event_id)
            VALUES (CAST(:id AS uuid), CAST(:transfer_id AS uuid), 'pending', :debtor,
                   :rail, :amount, :currency, :fee, :fee_currency, :expires_at,
                   :event_id)
            ON CONFLICT (transfer_id) DO UPDATE
               SET status = 'pending', debtor_account = EXCLUDED.debtor_account,
                   rail = EXCLUDED.rail, amount = EXCLUDED.amount,
                   currency = EXCLUDED.currency, fee = EXCLUDED.fee,
                   fee_currency = EXCLUDED.fee_currency,
                   expires_at = EXCLUDED.expires_at,
                   submitted_event_id = EXCLUDED.submitted_event_id
             WHERE h.status = 'awaiting'
            RETURNING id::text AS id, (xmax <> 0) AS was_awaiting
            """
        ),
        {
            "id": str(uuid.uuid4()),
            "transfer_id": transfer_id,
            "debtor": terms.debtor_account,
            "rail": terms.rail,
            "amount": terms.amount,
            "currency": terms.currency,
            "fee": terms.fee,
            "fee_currency": terms.fee_currency,
            "expires_at": expires_at,
            "event_id": event_id,
        },
    ).one_or_none()
    if row is None:
        return None
    return Placed(hold_id=row.id, had_parked_events=bool(row.was_awaiting))


def lock(session: Session, transfer_id: str) -> HoldRow | None:
    row = session.execute(
        text(
            f"SELECT {HOLD_COLUMNS} FROM ledger.holds"
            " WHERE transfer_id = CAST(:t AS uuid) FOR UPDATE"
        ),
        {"t": transfer_id},
    ).one_or_none()
    return None if row is None else HoldRow(*row)


def get(session: Session, transfer_id: str) -> HoldRow | None:
    row = session.execute(
        text(
            f"SELECT {HOLD_COLUMNS} FROM ledger.holds"
            " WHERE transfer_id = CAST(:t AS uuid)"
        ),
        {"t": transfer_id},
    ).one_or_none()
    return None if row is None else HoldRow(*row)


def resolve(
    session: Session,
    hold_id: str,
    *,
    status: str,
    event_id: str | None,
    reason: str | None = None,
) -> None:
    session.execute(
        text(
            """
            UPDATE ledger.holds
               SET status = :status, resolved_at = clock_timestamp(),
                   resolved_by_event_id = :event_id,
                   refusal_reason = coalesce(:reason, refusal_reason)
             WHERE id = CAST(:id AS uuid)
            """
        ),
        {"id": hold_id, "status": status, "event_id": event_id, "reason": reason},
    )


def open_placeholder(session: Session, transfer_id: str) -> bool:
    """True when this call created the 'awaiting' placeholder of the transfer."""
    row = session.execute(
        text(
            """
            INSERT INTO ledger.holds (id, transfer_id, status)
            VALUES (CAST(:id AS uuid), CAST(:t AS uuid), 'awaiting')
            ON CONFLICT (transfer_id) DO NOTHING
            RETURNING id
            """
        ),
        {"id": str(uuid.uuid4()), "t": transfer_id},
    ).one_or_none()
    return row is not None


def park(
    session: Session, *, transfer_id: str, envelope: dict[str, Any], event_time: Any
) -> None:
    session.execute(
        text(
            """
            INSERT INTO ledger.parked_events (event_id, transfer_id, event_type,
                   event_time, envelope)
            VALUES (:event_id, CAST(:t AS uuid), :type, :time, CAST(:env AS jsonb))
            ON CONFLICT (event_id) DO NOTHING
            """
        ),
        {
            "event_id": str(envelope["id"]),
            "t": transfer_id,
            "type": envelope["type"],
            "time": event_time,
            "env": json.dumps(envelope),
        },
    )


def unpark(session: Session, transfer_id: str) -> list[dict[str, Any]]:
    """Take the parked events of a transfer, oldest event first."""
    rows = session.execute(
        text(
            """
            DELETE FROM ledger.parked_events WHERE transfer_id = CAST(:t AS uuid)
            RETURNING envelope, event_time, parked_at
            """
        ),
        {"t": transfer_id},
    ).all()
    ordered = sorted(rows, key=lambda r: (r.event_time or r.parked_at, r.parked_at))
    return [dict(row.envelope) for row in ordered]


def due_for_expiry(session: Session, now: datetime, limit: int) -> list[HoldRow]:
    rows = session.execute(
        text(
            f"""
            SELECT {HOLD_COLUMNS} FROM ledger.holds
             WHERE status = 'pending' AND expires_at <= :now
             ORDER BY expires_at LIMIT :limit
               FOR UPDATE SKIP LOCKED
            """
        ),
        {"now": now, "limit": limit},
    ).all()
    return [HoldRow(*row) for row in rows]


def stale_placeholders(session: Session, older_than: datetime, limit: int) -> list[str]:
    rows = session.execute(
        text(
            """
            SELECT transfer_id::text AS transfer_id FROM ledger.holds
             WHERE status = 'awaiting' AND placed_at <= :before
             ORDER BY placed_at LIMIT :limit
               FOR UPDATE SKIP LOCKED
            """
        ),
        {"before": older_than, "limit": limit},
    ).all()
    return [row.transfer_id for row in rows]


def deposit_exists(session: Session, source_event_id: str) -> bool:
    return (
        session.execute(
            text("SELECT 1 FROM ledger.entries WHERE source_event_id = :s"),
            {"s": source_event_id},
        ).first()
        is not None
    )
