"""What the transform yields: an instruction to pay, or a reasoned rejection."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class ReasonCode(StrEnum):
    """The fleet's machine-readable gateway reasons (plus `rail_rejected`)."""

    SCHEMA_INVALID = "schema_invalid"
    UNSUPPORTED_CURRENCY = "unsupported_currency"
    AMOUNT_PRECISION = "amount_precision"
    INVALID_WALLET = "invalid_wallet"
    RECEIVER_NOT_OPTED_IN = "receiver_not_opted_in"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    VALIDITY_WINDOW_PASSED = "validity_window_passed"
    # algod refused the transaction for a reason none of the above names
    RAIL_REJECTED = "rail_rejected"


class State(StrEnum):
    REJECTED = "rejected"
    SIGNED = "signed"
    ACCEPTED = "accepted"
    SETTLED = "settled"
    FAILED = "failed"
    RETURNED = "returned"
    # the transaction left algod's view without a verdict (needs an indexer)
    UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Instruction:
    """A valid `transfers.submitted.usdc`, reduced to what the rail needs."""

    transfer_id: uuid.UUID
    event_id: str
    receiver: str
    amount_minor: int
    currency: str


@dataclass(frozen=True)
class Rejection:
    transfer_id: uuid.UUID
    event_id: str
    reason_code: ReasonCode
    reason: str
    amount_minor: int = 0
    currency: str = "USDC"
