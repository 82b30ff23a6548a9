"""Routes: accounts, a balance at any moment, an account's entries, trial balance."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session
from storo_platform.problems import FieldError, NotFound, Unprocessable

from storo_ledger import pagination
from storo_ledger.accounts import repository, service
from storo_ledger.accounts.schemas import (
    AccountBalance,
    AccountOut,
    AccountPage,
    BalanceOut,
    TrialBalance,
    TrialCurrency,
    TrialLine,
)
from storo_ledger.journal import repository as journal
from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.schemas import EntryOut, EntryPage, MoneyOut
from storo_ledger.web import session

router = APIRouter(prefix="/v1", tags=["accounts"])


def _as_of(as_of: datetime | None) -> datetime | None:
    if as_of is not None and as_of.tzinfo is None:
        raise Unprocessable(
            "as_of needs a UTC offset",
            errors=[FieldError("as_of", "timezone_required", "use RFC 3339 with Z")],
        )
    return as_of


def _account(db: Session, account_id: str) -> repository.AccountRow:
    found = repository.get(db, account_id)
    if found is None:
        raise NotFound(f"no account {account_id!r}")
    return found


def _balance(figures: service.Figures, currency: str) -> BalanceOut:
    return BalanceOut(
        posted=MoneyOut.of(figures.posted, currency),
        pending=MoneyOut.of(figures.pending, currency),
        available=MoneyOut.of(figures.available, currency),
    )


@router.get("/accounts")
def list_accounts(
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    kind: str | None = None,
    currency: str | None = None,
    db: Session = Depends(session),
) -> AccountPage:
    after = pagination.decode(cursor, str)
    rows = repository.page(db, after=after, limit=limit + 1, kind=kind, currency=currency)
    more = len(rows) > limit
    rows = rows[:limit]
    return AccountPage(
        items=[
            AccountOut(
                id=row.id,
                kind=row.kind,
                name=row.name,
                currency=row.currency,
                normal_side=row.normal_side,
                non_negative=row.non_negative,
                opened_at=timestamp(row.opened_at),
                balance=_balance(service.figures_as_of(db, row, None), row.currency),
            )
            for row in rows
        ],
        next_cursor=pagination.encode(rows[-1].id) if more else None,
    )


@router.get("/accounts/{account_id:path}/balance")
def account_balance(
    account_id: str,
    as_of: datetime | None = None,
    db: Session = Depends(session),
) -> AccountBalance:
    moment = _as_of(as_of)
    account = _account(db, account_id)
    figures = service.figures_as_of(db, account, moment)
    body = _balance(figures, account.currency)
    return AccountBalance(
        account_id=account.id,
        currency=account.currency,
        as_of=timestamp(moment) if moment else None,
        posted=body.posted,
        pending=body.pending,
        available=body.available,
    )


@router.get("/accounts/{account_id:path}/entries")
def account_entries(
    account_id: str,
    cursor: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    db: Session = Depends(session),
) -> EntryPage:
    _account(db, account_id)
    after = pagination.decode(cursor, int) or 0
    rows = journal.entries_of_account(db, account_id, after_seq=after, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return EntryPage(
        items=[EntryOut.of(row) for row in rows],
        next_cursor=pagination.encode(rows[-1].seq) if more else None,
    )


def _money(minor: int, currency: str) -> MoneyOut:
    return MoneyOut.of(minor, currency)


@router.get("/trial-balance")
def trial_balance(
    as_of: datetime | None = None, db: Session = Depends(session)
) -> TrialBalance:
    moment = _as_of(as_of)
    totals, rows = service.trial_balance(db, moment)
    currencies = []
    for t in totals:
        c = t.currency
        currencies.append(
            TrialCurrency(
                currency=c,
                debits=_money(t.debits, c),
                credits=_money(t.credits, c),
                pending_debits=_money(t.pending_debits, c),
                pending_credits=_money(t.pending_credits, c),
                balanced=t.balanced,
                accounts=[
                    TrialLine(
                        account_id=r.account_id,
                        normal_side=r.normal_side,
                        debits=_money(r.debits_posted, c),
                        credits=_money(r.credits_posted, c),
                        pending_debits=_money(r.debits_pending, c),
                        pending_credits=_money(r.credits_pending, c),
                    )
                    for r in rows
                    if r.currency == c
                ],
            )
        )
    return TrialBalance(
        as_of=timestamp(moment) if moment else None,
        balanced=all(t.balanced for t in totals),
        currencies=currencies,
    )
