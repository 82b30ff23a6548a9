"""Routes: a transfer's entries, and the chain verification."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session
from storo_platform.problems import NotFound

from storo_ledger.journal import audit, repository
from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.schemas import (
    BreakOut,
    EntryOut,
    HoldOut,
    MoneyOut,
    TransferEntries,
    VerifyOut,
)
from storo_ledger.postings import repository as holds
from storo_ledger.web import session

router = APIRouter(prefix="/v1", tags=["journal"])


@router.get("/transfers/{transfer_id}/entries")
def transfer_entries(transfer_id: uuid.UUID, db: Session = Depends(session)) -> TransferEntries:
    key = str(transfer_id)
    hold = holds.get(db, key)
    rows = repository.entries_of_transfer(db, key)
    if hold is None and not rows:
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
        transfer_id=key, hold=hold_out, items=[EntryOut.of(row) for row in rows]
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
