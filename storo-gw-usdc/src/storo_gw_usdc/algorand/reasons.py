"""algod's refusal texts mapped to the fleet's reason codes.

The texts come from go-algorand: `txn dead: round R outside of F--L`
(bookkeeping.TxnDeadError), `asset A missing from ADDR` and `underflow on
subtracting X from sender amount Y` (ledger/apply asset transfer), `overspend`
(the fee or minimum balance).
"""

from __future__ import annotations

from storo_gw_usdc.transfers.schemas import ReasonCode


def reason_for(message: str, *, receiver: str, sender: str) -> ReasonCode:
    if "txn dead" in message:
        return ReasonCode.VALIDITY_WINDOW_PASSED
    if f"missing from {receiver}" in message:
        return ReasonCode.RECEIVER_NOT_OPTED_IN
    if (
        "underflow on subtracting" in message
        or "overspend" in message
        or f"missing from {sender}" in message
    ):
        return ReasonCode.INSUFFICIENT_FUNDS
    return ReasonCode.RAIL_REJECTED
