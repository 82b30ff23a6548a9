"""SQL of accounts, balances as they are now or as they were, and the trial balance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class AccountRow:
    id: str
    kind: str
    name: str
    currency: str
    normal_side: str
    non_negative: bool
    opened_at: datetime
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int


_SELECT = """
    SELECT a.id, a.kind, a.name, a.currency, a.normal_side, a.non_negative,
           a.opened_at, b.debits_posted, b.credits_posted, b.debits_pending,
           b.credits_pending
      FROM ledger.accounts AS a JOIN ledger.balances AS b ON b.account_id = a.id
"""


def page(
    session: Session,
    *,
    after: str | None,
    limit: int,
    kind: str | None = None,
    currency: str | None = None,
) -> list[AccountRow]:
    rows = session.execute(
        text(
            _SELECT
            + """
             WHERE (CAST(:after AS text) IS NULL OR a.id > :after)
               AND (CAST(:kind AS text) IS NULL OR a.kind = :kind)
               AND (CAST(:currency AS text) IS NULL OR a.currency = :currency)
             ORDER BY a.id LIMIT :limit
            """
        ),
        {"after": after, "kind": kind, "currency": currency, "limit": limit},
    ).all()
    return [AccountRow(*row) for row in rows]


def get(session: Session, account_id: str) -> AccountRow | None:
    row = session.execute(
        text(_SELECT + " WHERE a.id = :id"), {"id": account_id}
    ).one_or_none()
    return None if row is None else AccountRow(*row)


def sums_as_of(
    session: Session, account_id: str, as_of: datetime
) -> tuple[int, int, int, int]:
    """(debits posted, credits posted, debits pending, credits pending) at ``as_of``."""
    row = session.execute(
        text(
            """
            SELECT coalesce(sum(amount) FILTER (WHERE side = 'debit'
                                                AND phase = 'posted'), 0),
                   coalesce(sum(amount) FILTER (WHERE side = 'credit'
                                                AND phase = 'posted'), 0),
                   coalesce(sum(amount) FILTER (WHERE side = 'debit'
                                                AND phase = 'pending'), 0),
                   coalesce(sum(amount) FILTER (WHERE side = 'credit'
                                                AND phase = 'pending'), 0)
              FROM ledger.lines
             WHERE account_id = :id AND posted_at <= :as_of
            """
        ),
        {"id": account_id, "as_of": as_of},
    ).one()
    return (int(row[0]), int(row[1]), int(row[2]), int(row[3]))


@dataclass(frozen=True)
class TrialRow:
    account_id: str
    currency: str
    normal_side: str
    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int

    @property
    def sums(self) -> tuple[int, int, int, int]:
        return (
            self.debits_posted,
            self.credits_posted,
            self.debits_pending,
            self.credits_pending,
        )


def trial_balance(session: Session, as_of: datetime) -> list[TrialRow]:
    """Every account open at ``as_of``, with its line sums up to then."""
    rows = session.execute(
        text(
            """
            SELECT a.id, a.currency, a.normal_side,
                   coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'
                                                  AND l.phase = 'posted'), 0),
                   coalesce(sum(l.amount) FILTER (WHERE l.side = 'credit'
                                                  AND l.phase = 'posted'), 0),
                   coalesce(sum(l.amount) FILTER (WHERE l.side = 'debit'
                                                  AND l.phase = 'pending'), 0),
                   coalesce(sum(l.amount) FILTER (WHERE l.side = 'credit'
                                                  AND l.phase = 'pending'), 0)
              FROM ledger.accounts AS a
              LEFT JOIN ledger.lines AS l ON l.account_id = a.id
                   AND l.posted_at <= :as_of
             WHERE a.opened_at <= :as_of
             GROUP BY a.id, a.currency, a.normal_side
             ORDER BY a.currency, a.id
            """
        ),
        {"as_of": as_of},
    ).all()
    return [
        TrialRow(
            row[0], row[1], row[2], int(row[3]), int(row[4]), int(row[5]), int(row[6])
        )
        for row in rows
    ]


def trial_balance_now(session: Session) -> list[TrialRow]:
    """The same figures from the running balance rows (no journal scan)."""
    rows = session.execute(
        text(
            """
            SELECT b.account_id, b.currency, b.normal_side, b.debits_posted,
                   b.credits_posted, b.debits_pending, b.credits_pending
              FROM ledger.balances AS b
             ORDER BY b.currency, b.account_id
            """
        )
    ).all()
    return [TrialRow(*row) for row in rows]
