"""Writing one journal entry: open accounts, hold the floors, chain, publish.

The caller owns the transaction; nothing here commits. The event
``ledger.entry.posted`` is written to the outbox by the posting statement itself, in
that same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session
from storo_outbox import make_envelope
from storo_platform.money import Money

from storo_ledger import SERVICE, metrics
from storo_ledger.accounts import chart
from storo_ledger.journal import hashchain, repository
from storo_ledger.journal.lines import Delta, Line, check_balanced, deltas
from storo_ledger.journal.repository import BalanceRow


class BalanceWouldGoNegative(Exception):
    """Applying the entry would take a never-negative account below zero."""

    def __init__(self, account_id: str, available: int, needed: int) -> None:
        super().__init__(
            f"{account_id} has {available} available (minor units), the entry needs"
            f" {needed}"
        )
        self.account_id = account_id
        self.available = available
        self.needed = needed


@dataclass(frozen=True)
class Draft:
    kind: str
    lines: Sequence[Line]
    transfer_id: str | None = None
    hold_id: str | None = None
    source_event_id: str | None = None
    source_event_type: str | None = None
    event_time: datetime | None = None


@dataclass(frozen=True)
class Posted:
    entry_id: str
    seq: int
    kind: str
    transfer_id: str | None
    posted_at: datetime
    hash: str
    lines: Sequence[Line]


def available(row: BalanceRow) -> int:
    """Posted balance on the normal side less what pending lines hold against it."""
    if row.normal_side == "credit":
        posted = row.credits_posted - row.debits_posted
        held = row.debits_pending - row.credits_pending
    else:
        posted = row.debits_posted - row.credits_posted
        held = row.credits_pending - row.debits_pending
    return posted - max(held, 0)


def _after(row: BalanceRow, delta: Delta) -> BalanceRow:
    return BalanceRow(
        row.account_id,
        row.currency,
        row.normal_side,
        row.non_negative,
        row.debits_posted + delta.debits_posted,
        row.credits_posted + delta.credits_posted,
        row.debits_pending + delta.debits_pending,
        row.credits_pending + delta.credits_pending,
    )


def _check_floors(rows: dict[str, BalanceRow], moves: Sequence[Delta]) -> None:
    for delta in moves:
        row = rows[delta.account]
        if not row.non_negative:
            continue
        before, after = available(row), available(_after(row, delta))
        if after < 0 and after < before:
            raise BalanceWouldGoNegative(row.account_id, before, before - after)


# Account ids known to exist, per database. Accounts are never deleted (a trigger
# refuses it), so once committed an id stays valid and the hot path skips the
# look-up. Ids join the set only after their transaction commits: another thread
# must never skip opening an account whose row it cannot see yet.
_KNOWN: dict[str, set[str]] = {}
_SEEN = "storo_ledger.accounts_seen"


def _known(session: Session) -> set[str]:
    return _KNOWN.setdefault(str(session.get_bind().engine.url), set())


@event.listens_for(Session, "after_commit")
def _remember_accounts(session: Session) -> None:
    seen = session.info.pop(_SEEN, None)
    if seen:
        url, ids = seen
        _KNOWN.setdefault(url, set()).update(ids)


@event.listens_for(Session, "after_rollback")
def _forget_accounts(session: Session) -> None:
    session.info.pop(_SEEN, None)


def _lock(session: Session, account_ids: list[str]) -> dict[str, BalanceRow]:
    """Lock the balance rows in account order, opening unseen accounts first.

    Opening happens before any row lock is taken: an insert that waits for a
    concurrent first sight of the same account then holds nothing another posting
    could be waiting for, so the fixed lock order cannot be broken into a deadlock.
    """
    known = _known(session)
    unseen = [a for a in account_ids if a not in known]
    if unseen:
        existing = repository.existing_accounts(session, unseen)
        missing = [a for a in unseen if a not in existing]
        if missing:
            repository.open_accounts(session, [chart.parse(a) for a in missing])
    rows = repository.lock_balances(session, account_ids)
    _, ids = session.info.setdefault(_SEEN, (str(session.get_bind().engine.url), set()))
    ids.update(rows)
    absent = [a for a in account_ids if a not in rows]
    if absent:
        raise repository.BalanceRowMissing(f"no balance row for {absent}")
    return rows


def event_lines(lines: Sequence[Line], kind: str) -> list[dict[str, object]]:
    """The lines an event shows: posted lines of posts, pending lines of holds."""
    phase = "posted" if kind in ("post", "reverse") else "pending"
    return [
        {
            "account": line.account,
            "side": line.side,
            "amount": Money(line.amount, line.currency).to_wire(),
        }
        for line in lines
        if line.phase == phase
    ]


def post(session: Session, draft: Draft) -> Posted:
    check_balanced(draft.lines)
    moves = deltas(draft.lines)
    rows = _lock(session, [d.account for d in moves])
    _check_floors(rows, moves)
    entry_id = str(uuid.uuid4())
    body = hashchain.body(
        entry_id=entry_id,
        kind=draft.kind,
        transfer_id=draft.transfer_id,
        source_event_id=draft.source_event_id,
        lines=draft.lines,
    )
    envelope = make_envelope(
        type="ledger.entry.posted",
        source=SERVICE,
        subject=draft.transfer_id or entry_id,
        data={
            "entry_id": entry_id,
            "transfer_id": draft.transfer_id,
            "kind": draft.kind,
            "lines": event_lines(draft.lines, draft.kind),
            # both filled in by the posting statement, under the chain head's lock
            "posted_at": None,
            "hash": None,
        },
    )
    written = repository.write_entry(
        session,
        entry_id=entry_id,
        kind=draft.kind,
        transfer_id=draft.transfer_id,
        hold_id=draft.hold_id,
        source_event_id=draft.source_event_id,
        source_event_type=draft.source_event_type,
        event_time=draft.event_time,
        body=body,
        lines=draft.lines,
        deltas=moves,
        envelope=envelope,
    )
    latency = None
    if draft.event_time is not None:
        latency = (written.posted_at - draft.event_time).total_seconds()
    metrics.defer(session, ("posted", draft.kind, latency))
    return Posted(
        entry_id=entry_id,
        seq=written.seq,
        kind=draft.kind,
        transfer_id=draft.transfer_id,
        posted_at=written.posted_at,
        hash=written.hash,
        lines=draft.lines,
    )
