"""What the ledger reads from each transfer event (the envelope is already valid)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from storo_platform.money import Money

from storo_ledger.postings.rules import HoldTerms

SUBMITTED_TYPES = (
    "transfers.submitted.usdc",
    "transfers.submitted.oppwa",
    "transfers.submitted.zimswitch",
)
SETTLED = "transfers.settled"
RETURNED = "transfers.returned"
FAILED = "transfers.failed"
REJECTED = "transfers.rejected"
# rejections raised before CTS submits a transfer: the ledger never saw a hold
PRE_SUBMISSION_STAGES = ("screening", "routing")


def parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class Source:
    """The event an entry is booked from."""

    event_id: str
    event_type: str
    transfer_id: str
    time: datetime | None

    @classmethod
    def of(cls, envelope: dict[str, Any]) -> Source:
        data = envelope["data"]
        return cls(
            event_id=str(envelope["id"]),
            event_type=str(envelope["type"]),
            transfer_id=str(data.get("transfer_id") or envelope["subject"]),
            time=parse_time(envelope["time"]) if envelope.get("time") else None,
        )


@dataclass(frozen=True)
class Submitted:
    source: Source
    terms: HoldTerms
    expires_at: datetime


def submitted(envelope: dict[str, Any], *, hold_ttl: timedelta) -> Submitted:
    data = envelope["data"]
    amount = Money.from_wire(data["amount"])
    fee = Money.from_wire(data["fee"], allow_zero=True)
    cutoff = parse_time(data["settlement"]["cutoff_at"])
    submitted_at = parse_time(data["submitted_at"])
    return Submitted(
        source=Source.of(envelope),
        terms=HoldTerms(
            debtor_account=data["debtor"]["account"],
            rail=data["rail"],
            amount=amount.minor,
            currency=amount.currency,
            fee=fee.minor,
            fee_currency=fee.currency,
        ),
        expires_at=max(cutoff, submitted_at) + hold_ttl,
    )


def settled_amount(envelope: dict[str, Any]) -> Money:
    return Money.from_wire(envelope["data"]["amount"])


def is_pre_submission_rejection(envelope: dict[str, Any]) -> bool:
    data = envelope["data"]
    return envelope["type"] == REJECTED and data.get("stage") in PRE_SUBMISSION_STAGES
