"""The strict transform of `transfers.submitted.usdc` into an instruction.

Every refusal becomes a `Rejection` with one of the fleet's reason codes; only an
event without a usable transfer id (nothing to reject) is refused outright, which
sends it to the dead-letter queue.
"""

from __future__ import annotations

import uuid
from typing import Any

from algosdk import encoding
from storo_platform import money
from storo_specs import ContractError, EventInvalid, validate_event

from storo_gw_usdc.transfers.schemas import Instruction, ReasonCode, Rejection

EVENT_TYPE = "transfers.submitted.usdc"
CURRENCY = "USDC"
# The asset's amounts are uint64 on chain; the database keeps a signed bigint.
MAX_MINOR = 2**63 - 1


class NoTransferId(ValueError):  # noqa: N818 - named as the fact it reports
    """The event names no transfer id, so no rejection can be addressed."""


def transfer_id_of(envelope: dict[str, Any]) -> uuid.UUID:
    data = envelope.get("data")
    candidates = [data.get("transfer_id") if isinstance(data, dict) else None]
    candidates.append(envelope.get("subject"))
    for candidate in candidates:
        if isinstance(candidate, str):
            try:
                return uuid.UUID(candidate)
            except ValueError:
                continue
    raise NoTransferId("the event carries no transfer id")


def admit(envelope: dict[str, Any]) -> None:
    """The consumer's validator: the envelope must be valid; the data may not be.

    A submitted event whose `data` fails its schema still reaches the handler, so
    that it is answered with `transfers.rejected` (`schema_invalid`) instead of
    vanishing into the dead-letter queue. Anything else invalid is refused.
    """
    try:
        validate_event(envelope)
    except EventInvalid as error:
        if envelope.get("type") != EVENT_TYPE:
            raise
        if not all(issue.pointer.startswith("/data") for issue in error.issues):
            raise
        transfer_id_of(envelope)


def transform(envelope: dict[str, Any]) -> Instruction | Rejection:
    transfer_id = transfer_id_of(envelope)
    event_id = str(envelope.get("id"))
    issues = _schema_issues(envelope)
    raw_data = envelope.get("data")
    data: dict[str, Any] = raw_data if isinstance(raw_data, dict) else {}
    amount = data.get("amount")

    def reject(code: ReasonCode, reason: str, minor: int = 0) -> Rejection:
        return Rejection(transfer_id, event_id, code, reason, minor)

    if isinstance(amount, dict) and amount.get("currency") != CURRENCY:
        return reject(
            ReasonCode.UNSUPPORTED_CURRENCY,
            f"the usdc rail carries only USDC, not {amount.get('currency')!r}",
        )
    minor = 0
    if isinstance(amount, dict):
        try:
            minor = money.parse_amount(
                amount.get("amount"),
                CURRENCY,
                maximum_minor=MAX_MINOR,
            ).minor
        except money.TooManyDecimals:
            return reject(
                ReasonCode.AMOUNT_PRECISION,
                "USDC has six decimals; the amount is finer than that",
            )
        except money.MoneyError as error:
            issues.append(f"/data/amount/amount: {error.rule}")
    creditor = data.get("creditor")
    wallet = creditor.get("account") if isinstance(creditor, dict) else None
    if isinstance(creditor, dict) and not encoding.is_valid_address(wallet):
        return reject(
            ReasonCode.INVALID_WALLET,
            "the creditor account is not a valid Algorand address",
            minor,
        )
    if issues:
        return reject(
            ReasonCode.SCHEMA_INVALID,
            "the event does not match its schema: " + "; ".join(issues[:5]),
            minor,
        )
    return Instruction(transfer_id, event_id, str(wallet), minor, CURRENCY)


def _schema_issues(envelope: dict[str, Any]) -> list[str]:
    try:
        validate_event(envelope)
    except EventInvalid as error:
        return [f"{issue.pointer or '/'}: {issue.rule}" for issue in error.issues]
    except ContractError as error:
        return [str(error)]
    return []
