"""SQL of the journal: locking balances, writing one entry, reading entries back.

A posting is three statements on the hot path: lock the balance rows in account
order, then one statement that advances the chain head (computing the entry's hash),
inserts the entry and its lines and updates every balance row it touches. The same
SQL is in ``bench/posting.sql`` so pgbench can measure it alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from storo_ledger.accounts.chart import Account
from storo_ledger.journal.hashchain import StoredEntry
from storo_ledger.journal.lines import Delta, Line


@dataclass(frozen=True)
class BalanceRow:
    account_id: str
    currency: str
    normal_side: str
    non_negative: bool
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int


@dataclass(frozen=True)
class Written:
    seq: int
    posted_at: datetime
    hash: str


LOCK_BALANCES = text(
    """
    SELECT account_id, currency, normal_side, non_negative, debits_posted,
           credits_posted, debits_pending, credits_pending
      FROM ledger.balances
     WHERE account_id = ANY(:ids)
     ORDER BY account_id
       FOR UPDATE
    """
)

OPEN_ACCOUNTS = text(
    """
    WITH opened AS (
        INSERT INTO ledger.accounts
               (id, kind, name, currency, normal_side, non_negative)
        SELECT a.id, a.kind, a.name, a.currency, a.normal_side, a.non_negative
          FROM jsonb_to_recordset(CAST(:accounts AS jsonb)) AS a(
               id text, kind text, name text, currency text, normal_side text,
               non_negative boolean)
         ORDER BY a.id
        ON CONFLICT (id) DO NOTHING
        RETURNING id, currency, normal_side, non_negative
    )
    INSERT INTO ledger.balances (account_id, currency, normal_side, non_negative)
    SELECT id, currency, normal_side, non_negative FROM opened
    """
)

WRITE_ENTRY = text(
    """
    WITH head AS (
        UPDATE ledger.chain_head AS c
           SET seq = c.seq + 1,
               prev_hash = c.hash,
               posted_at = t.ts,
               hash = encode(sha256(convert_to(
                   c.hash || E'\\n' || (c.seq + 1)::text || E'\\n'
                   || to_char(t.ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                   || E'\\n' || :body, 'UTF8')), 'hex')
          FROM (SELECT clock_timestamp() AS ts) AS t
         WHERE c.id = 1
        RETURNING c.seq, c.prev_hash, c.hash, c.posted_at
    ), entry AS (
        INSERT INTO ledger.entries (id, seq, kind, transfer_id, hold_id,
               source_event_id, source_event_type, event_time, posted_at,
               prev_hash, hash)
        SELECT CAST(:id AS uuid), h.seq, :kind, CAST(:transfer_id AS uuid),
               CAST(:hold_id AS uuid), :source_event_id, :source_event_type,
               CAST(:event_time AS timestamptz), h.posted_at, h.prev_hash, h.hash
          FROM head AS h
        RETURNING id, seq, posted_at, hash
    ), written_lines AS (
        INSERT INTO ledger.lines (entry_id, line_no, entry_seq, posted_at, account_id,
               phase, side, amount, currency)
        SELECT e.id, l.line_no, e.seq, e.posted_at, l.account_id, l.phase, l.side,
               l.amount, l.currency
          FROM entry AS e,
               jsonb_to_recordset(CAST(:lines AS jsonb)) AS l(
                   line_no smallint, account_id text, phase text, side text,
                   amount bigint, currency text)
    ), moved AS (
        UPDATE ledger.balances AS b
           SET debits_posted = b.debits_posted + d.dp,
               credits_posted = b.credits_posted + d.cp,
               debits_pending = b.debits_pending + d.dq,
               credits_pending = b.credits_pending + d.cq,
               last_entry_seq = e.seq
          FROM entry AS e,
               jsonb_to_recordset(CAST(:deltas AS jsonb)) AS d(
                   account_id text, dp bigint, cp bigint, dq bigint, cq bigint)
         WHERE b.account_id = d.account_id
        RETURNING b.account_id
    ), published AS (
        INSERT INTO ledger.outbox (event_id, type, subject, envelope)
        SELECT CAST(:event_id AS uuid), :event_type, :subject,
               jsonb_set(jsonb_set(CAST(:envelope AS jsonb),
                   '{data,hash}', to_jsonb(e.hash)),
                   '{data,posted_at}', to_jsonb(to_char(e.posted_at AT TIME ZONE 'UTC',
                       'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')))
          FROM entry AS e
    )
    SELECT e.seq, e.posted_at, e.hash, (SELECT count(*) FROM moved) AS moved
      FROM entry AS e
    """
)


class BalanceRowMissing(RuntimeError):
    """A posting reached an account whose balance row was never opened."""


def lock_balances(
    session: Session, account_ids: Sequence[str]
) -> dict[str, BalanceRow]:
    rows = session.execute(LOCK_BALANCES, {"ids": list(account_ids)}).all()
    return {row.account_id: BalanceRow(*row) for row in rows}


def existing_accounts(session: Session, account_ids: Sequence[str]) -> set[str]:
    rows = session.execute(
        text("SELECT id FROM ledger.accounts WHERE id = ANY(:ids)"),
        {"ids": list(account_ids)},
    ).scalars()
    return set(rows)


def open_accounts(session: Session, accounts: Sequence[Account]) -> None:
    payload = [
        {
            "id": a.id,
            "kind": a.kind.value,
            "name": a.name,
            "currency": a.currency,
            "normal_side": a.normal_side,
            "non_negative": a.non_negative,
        }
        for a in accounts
    ]
    session.execute(OPEN_ACCOUNTS, {"accounts": json.dumps(payload)})


def write_entry(
    session: Session,
    *,
    entry_id: str,
    kind: str,
    transfer_id: str | None,
    hold_id: str | None,
    source_event_id: str | None,
    source_event_type: str | None,
    event_time: datetime | None,
    body: str,
    lines: Sequence[Line],
    deltas: Sequence[Delta],
    envelope: dict[str, Any],
) -> Written:
    """Write the entry, move the balances and queue its event, in one statement.

    The event's ``hash`` and ``posted_at`` exist only once the chain head has moved,
    so the statement fills them into the envelope and writes the outbox row itself
    (storo_outbox's table and envelope; its ``emit`` would cost another round trip
    while every other posting waits on the chain head).
    """
    row = session.execute(
        WRITE_ENTRY,
        {
            "id": entry_id,
            "kind": kind,
            "transfer_id": transfer_id,
            "hold_id": hold_id,
            "source_event_id": source_event_id,
            "source_event_type": source_event_type,
            "event_time": event_time,
            "body": body,
            "event_id": envelope["id"],
            "event_type": envelope["type"],
            "subject": envelope["subject"],
            "envelope": json.dumps(envelope),
            "lines": json.dumps(
                [
                    {
                        "line_no": number,
                        "account_id": line.account,
                        "phase": line.phase,
                        "side": line.side,
                        "amount": line.amount,
                        "currency": line.currency,
                    }
                    for number, line in enumerate(lines, start=1)
                ]
            ),
            "deltas": json.dumps(
                [
                    {
                        "account_id": d.account,
                        "dp": d.debits_posted,
                        "cp": d.credits_posted,
                        "dq": d.debits_pending,
                        "cq": d.credits_pending,
                    }
                    for d in deltas
                ]
            ),
        },
    ).one()
    if row.moved != len(deltas):
        raise BalanceRowMissing(
            f"entry {entry_id} moved {row.moved}/{len(deltas)} rows"
        )
    return Written(seq=row.seq, posted_at=row.posted_at, hash=row.hash)


# --- reading -----------------------------------------------------------------------

ENTRY_COLUMNS = """
    e.seq, e.id::text AS id, e.kind, e.transfer_id::text AS transfer_id,
    e.hold_id::text AS hold_id, e.source_event_id, e.source_event_type, e.event_time,
    e.posted_at, e.prev_hash, e.hash
"""


@dataclass(frozen=True)
class EntryRow:
    seq: int
    id: str
    kind: str
    transfer_id: str | None
    hold_id: str | None
    source_event_id: str | None
    source_event_type: str | None
    event_time: datetime | None
    posted_at: datetime
    prev_hash: str
    hash: str
    lines: tuple[Line, ...]

    def stored(self) -> StoredEntry:
        return StoredEntry(
            seq=self.seq,
            entry_id=self.id,
            kind=self.kind,
            transfer_id=self.transfer_id,
            source_event_id=self.source_event_id,
            posted_at=self.posted_at,
            prev_hash=self.prev_hash,
            hash=self.hash,
            lines=self.lines,
        )


def _with_lines(session: Session, rows: Sequence[Any]) -> list[EntryRow]:
    if not rows:
        return []
    ids = [row.id for row in rows]
    found: dict[str, list[Line]] = {entry_id: [] for entry_id in ids}
    for line in session.execute(
        text(
            """
            SELECT entry_id::text AS entry_id, account_id, side, phase, amount, currency
              FROM ledger.lines
             WHERE entry_id = ANY(CAST(:ids AS uuid[]))
             ORDER BY entry_id, line_no
            """
        ),
        {"ids": ids},
    ):
        found[line.entry_id].append(
            Line(line.account_id, line.side, line.phase, line.amount, line.currency)
        )
    return [
        EntryRow(
            seq=row.seq,
            id=row.id,
            kind=row.kind,
            transfer_id=row.transfer_id,
            hold_id=row.hold_id,
            source_event_id=row.source_event_id,
            source_event_type=row.source_event_type,
            event_time=row.event_time,
            posted_at=row.posted_at,
            prev_hash=row.prev_hash,
            hash=row.hash,
            lines=tuple(found[row.id]),
        )
        for row in rows
    ]


def entries_after(session: Session, after_seq: int, limit: int) -> list[EntryRow]:
    rows = session.execute(
        text(
            f"SELECT {ENTRY_COLUMNS} FROM ledger.entries AS e"
            " WHERE e.seq > :after ORDER BY e.seq LIMIT :limit"
        ),
        {"after": after_seq, "limit": limit},
    ).all()
    return _with_lines(session, rows)


def iter_entries(session: Session, batch: int = 500) -> Iterator[EntryRow]:
    after = 0
    while True:
        page = entries_after(session, after, batch)
        yield from page
        if len(page) < batch:
            return
        after = page[-1].seq


def entries_page(
    session: Session,
    *,
    after_seq: int,
    limit: int,
    account: str | None = None,
    transfer_id: str | None = None,
) -> list[EntryRow]:
    """Entries in sequence order after a cursor, optionally of one account/transfer."""
    rows = session.execute(
        text(
            f"""
            SELECT {ENTRY_COLUMNS} FROM ledger.entries AS e
             WHERE e.seq > :after
               AND (CAST(:t AS uuid) IS NULL OR e.transfer_id = CAST(:t AS uuid))
               AND (CAST(:a AS text) IS NULL OR e.seq IN (
                   SELECT DISTINCT l.entry_seq FROM ledger.lines AS l
                    WHERE l.account_id = :a AND l.entry_seq > :after
                    ORDER BY l.entry_seq LIMIT :limit))
             ORDER BY e.seq LIMIT :limit
            """
        ),
        {"after": after_seq, "limit": limit, "a": account, "t": transfer_id},
    ).all()
    return _with_lines(session, rows)


def entry(session: Session, entry_id: str) -> EntryRow | None:
    rows = session.execute(
        text(
            f"SELECT {ENTRY_COLUMNS} FROM ledger.entries AS e"
            " WHERE e.id = CAST(:id AS uuid)"
        ),
        {"id": entry_id},
    ).all()
    found = _with_lines(session, rows)
    return found[0] if found else None


def entry_count(session: Session) -> int:
    return int(
        session.execute(text("SELECT count(*) FROM ledger.entries")).scalar_one()
    )


def balance_mismatches(session: Session) -> list[str]:
    """Accounts whose running balance row differs from the sum of their lines."""
    rows = session.execute(
        text(
            """
            WITH sums AS (
                SELECT account_id,
                       sum(amount) FILTER (WHERE side = 'debit' AND phase = 'posted')
                           AS dp,
                       sum(amount) FILTER (WHERE side = 'credit' AND phase = 'posted')
                           AS cp,
                       sum(amount) FILTER (WHERE side = 'debit' AND phase = 'pending')
                           AS dq,
                       sum(amount) FILTER (WHERE side = 'credit' AND phase = 'pending')
                           AS cq
                  FROM ledger.lines GROUP BY account_id
            )
            SELECT b.account_id
              FROM ledger.balances AS b LEFT JOIN sums AS s USING (account_id)
             WHERE b.debits_posted <> coalesce(s.dp, 0)
                OR b.credits_posted <> coalesce(s.cp, 0)
                OR b.debits_pending <> coalesce(s.dq, 0)
                OR b.credits_pending <> coalesce(s.cq, 0)
             ORDER BY b.account_id
            """
        )
    ).all()
    return [row.account_id for row in rows]
