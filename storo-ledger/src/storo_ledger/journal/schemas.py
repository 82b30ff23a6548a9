"""Response bodies of the journal's routes (storo-specs ``ledger`` document).

Fields the contract names come first; ``phase``, ``seq``, ``prev_hash`` and the
like are additions the contract allows, for auditors who rebuild the chain.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel
from storo_platform.money import Money

from storo_ledger.journal.hashchain import timestamp
from storo_ledger.journal.repository import EntryRow

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class MoneyOut(BaseModel):
    amount: str
    currency: str

    @classmethod
    def of(cls, minor: int, currency: str) -> MoneyOut:
        return cls(**Money(minor, currency).to_wire())


class LineOut(BaseModel):
    account: str
    side: str
    amount: MoneyOut
    phase: str


class EntryOut(BaseModel):
    entry_id: str
    transfer_id: str | None
    kind: str
    lines: list[LineOut]
    posted_at: str
    hash: str
    event_id: str | None
    event_type: str | None
    reference: str | None
    event_time: str | None
    seq: int
    prev_hash: str

    @classmethod
    def of(cls, row: EntryRow) -> EntryOut:
        source = row.source_event_id
        is_event = source is not None and _UUID.match(source) is not None
        return cls(
            entry_id=row.id,
            transfer_id=row.transfer_id,
            kind=row.kind,
            lines=[
                LineOut(
                    account=line.account,
                    side=line.side,
                    amount=MoneyOut.of(line.amount, line.currency),
                    phase=line.phase,
                )
                for line in row.lines
            ],
            posted_at=timestamp(row.posted_at),
            hash=row.hash,
            event_id=source if is_event else None,
            event_type=row.source_event_type,
            # an operator deposit carries its idempotency reference instead
            reference=None if is_event else source,
            event_time=_time(row.event_time),
            seq=row.seq,
            prev_hash=row.prev_hash,
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


class TransferEntries(EntryPage):
    transfer_id: str
    hold: HoldOut | None


class BreakOut(BaseModel):
    seq: int
    entry_id: str
    reason: str


class VerifyOut(BaseModel):
    ok: bool
    entries_checked: int
    first_break: BreakOut | None
    balance_mismatches: list[str]
