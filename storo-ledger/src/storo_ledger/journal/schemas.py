"""Response bodies of the journal's routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel
from storo_platform.money import Money

from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.repository import EntryRow


class MoneyOut(BaseModel):
    amount: str
    currency: str

    @classmethod
    def of(cls, minor: int, currency: str) -> MoneyOut:
        return cls(**Money(minor, currency).to_wire())


class LineOut(BaseModel):
    account: str
    side: str
    phase: str
    amount: MoneyOut


class EntryOut(BaseModel):
    entry_id: str
    seq: int
    kind: str
    transfer_id: str | None
    source_event_id: str | None
    source_event_type: str | None
    event_time: str | None
    posted_at: str
    prev_hash: str
    hash: str
    lines: list[LineOut]

    @classmethod
    def of(cls, row: EntryRow) -> EntryOut:
        return cls(
            entry_id=row.id,
            seq=row.seq,
            kind=row.kind,
            transfer_id=row.transfer_id,
            source_event_id=row.source_event_id,
            source_event_type=row.source_event_type,
            event_time=_time(row.event_time),
            posted_at=timestamp(row.posted_at),
            prev_hash=row.prev_hash,
            hash=row.hash,
            lines=[
                LineOut(
                    account=line.account,
                    side=line.side,
                    phase=line.phase,
                    amount=MoneyOut.of(line.amount, line.currency),
                )
                for line in row.lines
            ],
        )


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else timestamp(moment)


class EntryPage(BaseModel):
    items: list[EntryOut]
    next_cursor: str | None


class HoldOut(BaseModel):
    status: str
    amount: MoneyOut | None
    fee: MoneyOut | None
    expires_at: str | None
    refusal_reason: str | None


class TransferEntries(BaseModel):
    transfer_id: str
    hold: HoldOut | None
    items: list[EntryOut]


class BreakOut(BaseModel):
    seq: int
    entry_id: str
    reason: str


class VerifyOut(BaseModel):
    ok: bool
    entries_checked: int
    first_break: BreakOut | None
    balance_mismatches: list[str]
