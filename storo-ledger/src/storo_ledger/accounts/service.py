"""Balances from the three numbers every account shows: posted, pending, available.

All three are on the account's normal side. ``pending`` is what unresolved holds do
to it (negative while a hold reserves a customer's funds); ``available`` counts a
pending reduction but never a pending increase, so funds on their way in cannot be
spent before they arrive.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from storo_ledger.accounts import repository


@dataclass(frozen=True)
class Figures:
    posted: int
    pending: int

    @property
    def available(self) -> int:
        return self.posted + min(self.pending, 0)


def figures(
    normal_side: str,
    debits_posted: int,
    credits_posted: int,
    debits_pending: int,
    credits_pending: int,
) -> Figures:
    sign = 1 if normal_side == "debit" else -1
    return Figures(
        posted=sign * (debits_posted - credits_posted),
        pending=sign * (debits_pending - credits_pending),
    )


def sums(
    session: Session, account: repository.AccountRow, as_of: datetime | None
) -> tuple[int, int, int, int]:
    """(debits posted, credits posted, debits pending, credits pending)."""
    if as_of is None:
        return (
            account.debits_posted,
            account.credits_posted,
            account.debits_pending,
            account.credits_pending,
        )
    return repository.sums_as_of(session, account.id, as_of)


def figures_as_of(
    session: Session, account: repository.AccountRow, as_of: datetime | None
) -> Figures:
    return figures(account.normal_side, *sums(session, account, as_of))


@dataclass
class CurrencyTotals:
    currency: str
    debits: int = 0
    credits: int = 0
    pending_debits: int = 0
    pending_credits: int = 0

    @property
    def balanced(self) -> bool:
        return (
            self.debits == self.credits and self.pending_debits == self.pending_credits
        )


def trial_balance(
    session: Session, as_of: datetime | None
) -> tuple[list[CurrencyTotals], list[repository.TrialRow]]:
    rows = (
        repository.trial_balance_now(session)
        if as_of is None
        else repository.trial_balance(session, as_of)
    )
    totals: dict[str, CurrencyTotals] = defaultdict(lambda: CurrencyTotals(""))
    for row in rows:
        t = totals[row.currency]
        t.currency = row.currency
        t.debits += row.debits_posted
        t.credits += row.credits_posted
        t.pending_debits += row.debits_pending
        t.pending_credits += row.credits_pending
    return [totals[c] for c in sorted(totals)], rows
