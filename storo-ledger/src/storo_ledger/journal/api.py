"""Routes: entries (all, one, of a transfer) and the chain verification."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session
from storo_platform.problems import NotFound

from storo_ledger import pagination
from storo_ledger.journal import audit, repository
from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.schemas import (
    BreakOut,
    EntryOut,
    EntryPage,
    HoldOut,
    MoneyOut,
    TransferEntries,
    VerifyOut,
)
from storo_ledger.postings import repository as holds
from storo_ledger.web import session

router = APIRouter(prefix="/v1", tags=["journal"])


def entry_page(
    db: Session,
    *,
    cursor: str | None,
    limit: int,
    account: str | None = None,
    transfer_id: str | None = None,
) -> EntryPage:
    after = pagination.decode(cursor, int) or 0
    rows = repository.entries_page(
        db, after_seq=after, limit=limit + 1, account=account, transfer_id=transfer_id
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return EntryPage(
        items=[EntryOut.of(row) for row in rows],
        next_cursor=pagination.encode(rows[-1].seq) if more else None,
    )


@router.get("/entries")
def list_entries(
    cursor: str | None = Query(None, min_length=1, max_length=512),
    limit: int = Query(50, ge=1, le=200),
    transfer_id: uuid.UUID | None = None,
    account: str | None = Query(None, min_length=1, max_length=128),
    db: Session = Depends(session),
) -> EntryPage:
    return entry_page(
        db,
        cursor=cursor,
        limit=limit,
        account=account,
        transfer_id=str(transfer_id) if transfer_id else None,
    )


@router.get("/entries/{entry_id}")
def get_entry(entry_id: uuid.UUID, db: Session = Depends(session)) -> EntryOut:
    row = repository.entry(db, str(entry_id))
    if row is None:
        raise NotFound(f"no entry {entry_id}")
    return EntryOut.of(row)


@router.get("/transfers/{transfer_id}/entries")
def transfer_entries(
    transfer_id: uuid.UUID,
    cursor: str | None = Query(None, min_length=1, max_length=512),
    limit: int = Query(50, ge=1, le=200),
    db: Session = Depends(session),
) -> TransferEntries:
    key = str(transfer_id)
    hold = holds.get(db, key)
    page = entry_page(db, cursor=cursor, limit=limit, transfer_id=key)
    if hold is None and not page.items:
        raise NotFound(f"the ledger has booked nothing for transfer {key}")
    hold_out = None
    if hold is not None:
        hold_out = HoldOut(
            status=hold.status,
            amount=MoneyOut.of(hold.amount, hold.currency)
            if hold.amount is not None and hold.currency
            else None,
            fee=MoneyOut.of(hold.fee, hold.fee_currency)
            if hold.fee is not None and hold.fee_currency
            else None,
            expires_at=timestamp(hold.expires_at) if hold.expires_at else None,
            refusal_reason=hold.refusal_reason,
        )
    return TransferEntries(
        transfer_id=key, hold=hold_out, items=page.items, next_cursor=page.next_cursor
    )


@router.get("/verify")
def verify(db: Session = Depends(session)) -> VerifyOut:
    report = audit.verify(db)
    brk = report.first_break
    return VerifyOut(
        ok=report.ok,
        entries_checked=report.entries_checked,
        first_break=BreakOut(seq=brk.seq, entry_id=brk.entry_id, reason=brk.reason)
        if brk
        else None,
        balance_mismatches=report.balance_mismatches,
    )
