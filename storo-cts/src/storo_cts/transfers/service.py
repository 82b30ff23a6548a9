"""Intake: screen, quote, decide, and write the transfer with its events.

The calls to compliance and directory happen before any transaction opens;
:func:`record_intake` then writes everything in the caller's one short transaction
and never commits.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from storo_platform.money import Money, parse_amount

from storo_cts.observability import TRANSFERS_CREATED, log
from storo_cts.quoting.client import (
    DirectoryClient,
    QuoteAnswer,
    QuoteRefused,
    RoutingUnavailable,
)
from storo_cts.screening.client import (
    ComplianceClient,
    Screening,
    ScreeningUnavailable,
)
from storo_cts.transfers import repository
from storo_cts.transfers.schemas import TransferCreate
from storo_cts.transfers.states import Status
from storo_cts.transfers.timeline import Cause, Recorder, wire_time
from storo_cts.transfers.views import transfer_view

ROLES = ("debtor", "creditor")


@dataclass(frozen=True)
class Checks:
    """What compliance and directory said about one transfer request."""

    screenings: dict[str, Screening]
    screening_failure: str | None
    quote: QuoteAnswer | None
    routing_failure: str | None


async def run_checks(
    compliance: ComplianceClient,
    directory: DirectoryClient,
    request: TransferCreate,
    transfer_id: uuid.UUID,
) -> Checks:
    """Screen both parties and ask for the quote, all three at once.

    Raises :class:`QuoteRefused` when directory refuses the request itself: that is
    a client error and nothing is stored for it.
    """
    reference = str(transfer_id)
    results = await asyncio.gather(
        compliance.screen(request.debtor.model_dump(mode="json"), reference),
        compliance.screen(request.creditor.model_dump(mode="json"), reference),
        directory.quote(
            amount=request.amount.model_dump(),
            corridor=(request.debtor.country, request.creditor.country),
            rail=request.rail,
        ),
        return_exceptions=True,
    )
    debtor, creditor, quote = results
    if isinstance(quote, QuoteRefused):
        raise quote
    screenings: dict[str, Screening] = {}
    failure: str | None = None
    for role, result in zip(ROLES, (debtor, creditor), strict=True):
        if isinstance(result, Screening):
            screenings[role] = result
        elif isinstance(result, ScreeningUnavailable):
            failure = result.cause
        elif isinstance(result, BaseException):
            raise result
    routing_failure: str | None = None
    answer: QuoteAnswer | None = None
    if isinstance(quote, RoutingUnavailable):
        routing_failure = quote.cause
    elif isinstance(quote, BaseException):
        raise quote
    else:
        answer = quote
    return Checks(screenings, failure, answer, routing_failure)


@dataclass(frozen=True)
class Rejection:
    stage: str
    reason_code: str
    reason: str


def screening_verdict(checks: Checks) -> tuple[Status, Rejection | None]:
    """Deny beats review beats clear; no answer from compliance is a denial."""
    if checks.screening_failure is not None:
        return Status.REJECTED, Rejection(
            "screening",
            "screening_unavailable",
            f"Compliance screening gave no answer ({checks.screening_failure}).",
        )
    decisions = [checks.screenings[role] for role in ROLES]
    for role, s in zip(ROLES, decisions, strict=True):
        if s.decision == "deny" and s.reason == "list_stale":
            return Status.REJECTED, Rejection(
                "screening",
                "list_stale",
                f"A watchlist used to screen the {role} is out of date.",
            )
    for role, s in zip(ROLES, decisions, strict=True):
        if s.decision == "deny":
            return Status.REJECTED, Rejection(
                "screening", "screening_hit", f"The {role} matched a watchlist entry."
            )
    if any(s.decision == "review" for s in decisions):
        return Status.HELD, None
    return Status.SCREENED, None


def record_intake(
    session: Session,
    *,
    transfer_id: uuid.UUID,
    idempotency_key: str,
    request: TransferCreate,
    amount: Money,
    checks: Checks,
    now: datetime,
) -> dict[str, Any]:
    """Write the transfer, its timeline, its quote and its events; return its view."""
    recorder = Recorder(transfer_id)
    status = recorder.transition(None, Status.RECEIVED, Cause(reason="intake"), at=now)
    verdict, rejection = screening_verdict(checks)
    reason = "screening_clear" if verdict is Status.SCREENED else "screening_review"
    if rejection is not None:
        reason = rejection.reason_code
    status = recorder.transition(status, verdict, Cause(reason=reason), at=now)
    # A quote is kept for a transfer that goes out now or may go out after review;
    # a transfer refused by screening never carries a fee.
    quote = checks.quote if status is not Status.REJECTED else None
    if status is Status.SCREENED:
        if quote is None:
            rejection = Rejection(
                "routing",
                "routing_unavailable",
                f"Directory gave no quote ({checks.routing_failure}).",
            )
            status = recorder.transition(
                status,
                Status.REJECTED,
                Cause(reason="routing_unavailable"),
                at=now,
            )
        else:
            status = recorder.transition(
                status, Status.SUBMITTED, Cause(reason="routed"), at=now
            )

    rail = quote.rail if quote is not None else request.rail
    fee = _minor(quote.fee) if quote is not None else None
    row: dict[str, Any] = {
        "id": transfer_id,
        "idempotency_key": idempotency_key,
        "status": status.value,
        "rail": rail,
        "amount_minor": amount.minor,
        "currency": amount.currency,
        "fee_minor": fee.minor if fee is not None else None,
        "debtor": request.debtor.model_dump(mode="json"),
        "creditor": request.creditor.model_dump(mode="json"),
        "reference": request.reference,
        "purpose": request.purpose,
        "metadata": dict(request.metadata),
        "screening": {
            role: s.model_dump(mode="json") for role, s in checks.screenings.items()
        }
        or None,
        "quote_id": quote.quote_id if quote is not None else None,
        "rail_reference": None,
        "rejection_stage": rejection.stage if rejection else None,
        "reason_code": rejection.reason_code if rejection else None,
        "reason": rejection.reason if rejection else None,
        "created_at": now,
        "updated_at": now,
    }
    repository.insert_transfer(session, row)
    quote_row = _quote_row(transfer_id, quote, now) if quote is not None else None
    if quote_row is not None:
        repository.insert_quote(session, quote_row)
    if status is Status.SUBMITTED and quote is not None:
        _emit_submitted(recorder, row, quote, now)
    elif rejection is not None:
        _emit_rejected(recorder, rail, rejection, now)
    recorder.flush(session)
    TRANSFERS_CREATED.labels(status=status.value).inc()
    log.info(
        "transfer.created",
        transfer_id=str(transfer_id),
        status=status.value,
        rail=rail,
        reason_code=rejection.reason_code if rejection else None,
    )
    return transfer_view(row, quote_row)


def _minor(wire: Any) -> Money:
    return parse_amount(wire.amount, wire.currency, allow_zero=True)


def _quote_row(
    transfer_id: uuid.UUID, quote: QuoteAnswer, now: datetime
) -> dict[str, Any]:
    return {
        "quote_id": quote.quote_id,
        "transfer_id": transfer_id,
        "currency": quote.fee.currency,
        "amount_minor": _minor(quote.amount).minor,
        "fee_minor": _minor(quote.fee).minor,
        "total_minor": _minor(quote.total).minor,
        "rail": quote.rail,
        "rail_reason": quote.rail_reason,
        "settlement_window": quote.settlement.window,
        "cutoff_at": quote.settlement.cutoff_at,
        "expected_settlement_date": quote.settlement.expected_settlement_date,
        "dataset_versions": dict(quote.dataset_versions),
        "created_at": now,
    }


def _party(stored: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in stored.items() if not (k == "date_of_birth" and v is None)}


def _emit_submitted(
    recorder: Recorder,
    row: dict[str, Any],
    quote: QuoteAnswer,
    now: datetime,
) -> None:
    recorder.emit(
        f"transfers.submitted.{quote.rail}",
        {
            "transfer_id": str(row["id"]),
            "rail": quote.rail,
            "amount": Money(row["amount_minor"], row["currency"]).to_wire(),
            "fee": quote.fee.model_dump(),
            "debtor": _party(row["debtor"]),
            "creditor": _party(row["creditor"]),
            "reference": row["reference"],
            "purpose": row["purpose"],
            "quote_id": quote.quote_id,
            "dataset_versions": dict(quote.dataset_versions),
            "settlement": {
                "window": quote.settlement.window,
                "cutoff_at": wire_time(quote.settlement.cutoff_at),
                "expected_settlement_date": (
                    quote.settlement.expected_settlement_date.isoformat()
                ),
            },
            "submitted_at": wire_time(now),
        },
        status=Status.SUBMITTED,
    )


def _emit_rejected(
    recorder: Recorder,
    rail: str | None,
    rejection: Rejection,
    now: datetime,
) -> None:
    recorder.emit(
        "transfers.rejected",
        {
            "transfer_id": str(recorder.transfer_id),
            "rail": rail,
            "stage": rejection.stage,
            "reason_code": rejection.reason_code,
            "reason": rejection.reason,
            "rejected_at": wire_time(now),
        },
        status=Status.REJECTED,
    )
