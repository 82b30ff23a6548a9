"""The tamper-evident chain over journal entries.

Entry ``n`` carries ``hash_n = sha256(hash_{n-1} "\\n" n "\\n" posted_at "\\n" body)``
as lowercase hex, with 64 zeros before the first entry. ``body`` is the canonical JSON
of the entry's immutable content (id, kind, transfer, source event, lines). PostgreSQL
computes the hash while it assigns the sequence number (see ``repository``), and this
module recomputes it the same way, byte for byte, so ``verify`` needs nothing but the
rows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from storo_ledger.journal.lines import Line

GENESIS = "0" * 64


def body(
    *,
    entry_id: str,
    kind: str,
    transfer_id: str | None,
    source_event_id: str | None,
    lines: Sequence[Line],
) -> str:
    document = {
        "id": entry_id,
        "kind": kind,
        "transfer_id": transfer_id,
        "source_event_id": source_event_id,
        "lines": [
            [number, line.account, line.phase, line.side, line.amount, line.currency]
            for number, line in enumerate(lines, start=1)
        ],
    }
    return json.dumps(
        document, separators=(",", ":"), sort_keys=True, ensure_ascii=True
    )


def timestamp(posted_at: datetime) -> str:
    """The timestamp as PostgreSQL's to_char formats it in the chain statement."""
    return posted_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def link(prev_hash: str, seq: int, posted_at: datetime, entry_body: str) -> str:
    text = f"{prev_hash}\n{seq}\n{timestamp(posted_at)}\n{entry_body}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class StoredEntry:
    seq: int
    entry_id: str
    kind: str
    transfer_id: str | None
    source_event_id: str | None
    posted_at: datetime
    prev_hash: str
    hash: str
    lines: Sequence[Line]


@dataclass(frozen=True)
class Break:
    """The first entry that does not fit the chain, and why."""

    seq: int
    entry_id: str
    reason: str


@dataclass
class Verification:
    checked: int = 0
    last_hash: str = GENESIS
    first_break: Break | None = None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def verify(
    entries: Iterable[StoredEntry], *, start: Verification | None = None
) -> Verification:
    """Walk entries in sequence order; stop at the first one that does not fit."""
    state = start or Verification()
    for entry in entries:
        expected_seq = state.checked + 1
        reason = None
        if entry.seq != expected_seq:
            reason = f"sequence {entry.seq} where {expected_seq} was expected"
        elif entry.prev_hash != state.last_hash:
            reason = "prev_hash does not match the previous entry's hash"
        else:
            recomputed = link(
                state.last_hash,
                entry.seq,
                entry.posted_at,
                body(
                    entry_id=entry.entry_id,
                    kind=entry.kind,
                    transfer_id=entry.transfer_id,
                    source_event_id=entry.source_event_id,
                    lines=entry.lines,
                ),
            )
            if recomputed != entry.hash:
                reason = "content does not match the entry's hash"
        if reason is not None:
            state.first_break = Break(entry.seq, entry.entry_id, reason)
            return state
        state.checked += 1
        state.last_hash = entry.hash
    return state
