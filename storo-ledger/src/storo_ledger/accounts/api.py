"""Routes: accounts, a balance at any moment, an account's entries, trial balance.

The routes with a suffix come before ``/accounts/{account}``: account ids may hold
slashes (``{account:path}``), so the first route that matches must be the specific one.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session
from storo_platform.problems import FieldError, NotFound, Unprocessable

from storo_ledger import pagination
from storo_ledger.accounts import chart, repository, service
from storo_ledger.accounts.schemas import (
    AccountOut,
    AccountPage,
    BalanceOut,
    CurrencyTotalOut,
    TrialBalanceOut,
    TrialRowOut,
)
from storo_ledger.journal.api import entry_page
from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.schemas import EntryPage, MoneyOut
from storo_ledger.web import session

router = APIRouter(prefix="/v1", tags=["accounts"])

CURSOR = Query(None, min_length=1, max_length=512)
LIMIT = Query(50, ge=1, le=200)


def _as_of(as_of: datetime | None) -> datetime | None:
    if as_of is not None and as_of.tzinfo is None:
        raise Unprocessable(
            "as_of needs a UTC offset",
            errors=[FieldError("as_of", "utc_timestamp", "use RFC 3339 with Z")],
        )
    return as_of


def _account(db: Session, account_id: str) -> repository.AccountRow:
    found = repository.get(db, account_id)
    if found is None:
        raise NotFound(f"no account {account_id!r}")
    return found


def _money(minor: int, currency: str) -> MoneyOut:
    return MoneyOut.of(minor, currency)


def account_out(row: repository.AccountRow) -> AccountOut:
    return AccountOut(
        account=row.id,
        kind=chart.parse(row.id).element,
        currency=row.currency,
        normal_side=row.normal_side,
        created_at=timestamp(row.opened_at),
        category=row.kind,
        name=row.name,
        non_negative=row.non_negative,
    )


@router.get("/accounts")
def list_accounts(
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
    currency: str | None = None,
    category: chart.AccountKind | None = None,
    db: Session = Depends(session),
) -> AccountPage:
    after = pagination.decode(cursor, str)
    rows = repository.page(
        db,
        after=after,
        limit=limit + 1,
        kind=category.value if category else None,
        currency=currency,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return AccountPage(
        items=[account_out(row) for row in rows],
        next_cursor=pagination.encode(rows[-1].id) if more else None,
    )


@router.get("/accounts/{account:path}/balance")
def account_balance(
    account: str, as_of: datetime | None = None, db: Session = Depends(session)
) -> BalanceOut:
    moment = _as_of(as_of)
    row = _account(db, account)
    sums = service.sums(db, row, moment)
    figures = service.figures(row.normal_side, *sums)
    cur = row.currency
    return BalanceOut(
        account=row.id,
        as_of=timestamp(moment or datetime.now(UTC)),
        debits=_money(sums[0], cur),
        credits=_money(sums[1], cur),
        balance=_money(figures.posted, cur),
        held=_money(max(-figures.pending, 0), cur),
        available=_money(figures.available, cur),
        pending=_money(figures.pending, cur),
    )


@router.get("/accounts/{account:path}/entries")
def account_entries(
    account: str,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
    db: Session = Depends(session),
) -> EntryPage:
    _account(db, account)
    return entry_page(db, cursor=cursor, limit=limit, account=account)


@router.get("/accounts/{account:path}")
def get_account(account: str, db: Session = Depends(session)) -> AccountOut:
    return account_out(_account(db, account))


@router.get("/trial-balance")
def trial_balance(
    as_of: datetime | None = None,
    currency: str | None = None,
    db: Session = Depends(session),
) -> TrialBalanceOut:
    moment = _as_of(as_of)
    totals, rows = service.trial_balance(db, moment)
    totals = [t for t in totals if currency is None or t.currency == currency]
    return TrialBalanceOut(
        as_of=timestamp(moment or datetime.now(UTC)),
        rows=[
            TrialRowOut(
                account=r.account_id,
                debits=_money(r.debits_posted, r.currency),
                credits=_money(r.credits_posted, r.currency),
                balance=_money(
                    service.figures(r.normal_side, *r.sums).posted, r.currency
                ),
                pending_debits=_money(r.debits_pending, r.currency),
                pending_credits=_money(r.credits_pending, r.currency),
            )
            for r in rows
            if currency is None or r.currency == currency
        ],
        totals=[
            CurrencyTotalOut(
                debits=_money(t.debits, t.currency),
                credits=_money(t.credits, t.currency),
                pending_debits=_money(t.pending_debits, t.currency),
                pending_credits=_money(t.pending_credits, t.currency),
            )
            for t in totals
        ],
        balanced=all(t.balanced for t in totals),
    )
