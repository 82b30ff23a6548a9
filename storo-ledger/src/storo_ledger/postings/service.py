"""The hold lifecycle: which entry each transfer event books, and when it refuses.

A hold moves ``pending -> posted | voided | expired`` and ``posted -> reversed``,
at most once each way. An event that finds its hold already where the event would
take it is a harmless duplicate (a gateway and recon both report settlement). An
event that contradicts the hold (settled after a void) is refused: nothing is
booked and ``ledger.posting.refused`` is raised for an operator.

Events that come before their transfer's submission are parked against an
``awaiting`` placeholder and replayed, oldest first, the moment the hold is placed.
A placeholder still waiting after ``park_ttl`` has its events refused (``no_hold``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session
from storo_otel import get_logger
from storo_outbox import emit
from storo_platform.money import Money

from storo_ledger import SCHEMA, SERVICE, metrics
from storo_ledger.journal import service as journal
from storo_ledger.journal.hashchain import timestamp
from storo_ledger.postings import events, rules
from storo_ledger.postings import repository as holds
from storo_ledger.postings.events import Source

log = get_logger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one event did: held, posted, voided, reversed, refused, duplicate,
    parked or ignored; with the entry when one was written."""

    action: str
    entry: journal.Posted | None = None
    reason_code: str | None = None


def refuse(
    session: Session,
    *,
    transfer_id: str | None,
    event_id: str,
    event_type: str,
    reason_code: str,
    reason: str,
) -> Outcome:
    emit(
        session,
        schema=SCHEMA,
        type="ledger.posting.refused",
        source=SERVICE,
        subject=transfer_id or event_id,
        data={
            "transfer_id": transfer_id,
            "event_id": event_id,
            "event_type": event_type,
            "reason_code": reason_code,
            "reason": reason,
            "refused_at": timestamp(datetime.now(UTC)),
        },
    )
    metrics.defer(session, ("refused", reason_code, None))
    log.warning(
        "ledger.posting.refused",
        transfer_id=transfer_id,
        event_id=event_id,
        event_type=event_type,
        reason_code=reason_code,
    )
    return Outcome("refused", reason_code=reason_code)


def _refuse(session: Session, source: Source, reason_code: str, reason: str) -> Outcome:
    return refuse(
        session,
        transfer_id=source.transfer_id,
        event_id=source.event_id,
        event_type=source.event_type,
        reason_code=reason_code,
        reason=reason,
    )


def _duplicate(source: Source, status: str) -> Outcome:
    log.info(
        "ledger.event.duplicate",
        transfer_id=source.transfer_id,
        event_id=source.event_id,
        event_type=source.event_type,
        hold_status=status,
    )
    return Outcome("duplicate")


def _book(
    session: Session, source: Source, hold: holds.HoldRow, kind: str, lines: Any
) -> journal.Posted:
    return journal.post(
        session,
        journal.Draft(
            kind=kind,
            lines=lines,
            transfer_id=source.transfer_id,
            hold_id=hold.id,
            source_event_id=source.event_id,
            source_event_type=source.event_type,
            event_time=source.time,
        ),
    )


class Postings:
    """Books transfer events; every method runs inside the caller's transaction.

    A hold's new state is written before its entry: the entry's statement takes the
    chain head, which every posting waits on, so as little as possible follows it.
    """

    def __init__(self, *, hold_ttl: timedelta) -> None:
        self.hold_ttl = hold_ttl
        self._handlers: dict[str, Callable[[Session, dict[str, Any]], Outcome]] = {
            **{t: self.submitted for t in events.SUBMITTED_TYPES},
            events.SETTLED: self.settled,
            events.RETURNED: self.returned,
            events.FAILED: self.voiding,
            events.REJECTED: self.voiding,
        }

    @property
    def event_types(self) -> tuple[str, ...]:
        return tuple(self._handlers)

    def handle(self, session: Session, envelope: dict[str, Any]) -> Outcome:
        return self._handlers[envelope["type"]](session, envelope)

    # --- events --------------------------------------------------------------------

    def submitted(self, session: Session, envelope: dict[str, Any]) -> Outcome:
        sub = events.submitted(envelope, hold_ttl=self.hold_ttl)
        source = sub.source
        placed = holds.place(
            session,
            transfer_id=source.transfer_id,
            terms=sub.terms,
            expires_at=sub.expires_at,
            event_id=source.event_id,
        )
        if placed is None:
            existing = holds.get(session, source.transfer_id)
            if existing is not None and existing.refusal_reason == "no_hold":
                # its early events were already refused for want of this submission
                return _refuse(
                    session,
                    source,
                    "hold_refused",
                    "the submission came after this transfer's earlier events were"
                    " refused (no_hold); nothing is held",
                )
            return _duplicate(source, existing.status if existing else "unknown")
        hold = holds.HoldRow(
            id=placed.hold_id,
            transfer_id=source.transfer_id,
            status="pending",
            debtor_account=sub.terms.debtor_account,
            rail=sub.terms.rail,
            amount=sub.terms.amount,
            currency=sub.terms.currency,
            fee=sub.terms.fee,
            fee_currency=sub.terms.fee_currency,
            expires_at=sub.expires_at,
            refusal_reason=None,
        )
        try:
            entry = _book(session, source, hold, "hold", rules.hold(sub.terms))
            outcome = Outcome("held", entry)
        except journal.BalanceWouldGoNegative as exc:
            holds.resolve(
                session,
                placed.hold_id,
                status="refused",
                event_id=source.event_id,
                reason="insufficient_funds",
            )
            outcome = _refuse(session, source, "insufficient_funds", str(exc))
        if placed.had_parked_events:
            for early in holds.unpark(session, source.transfer_id):
                self.handle(session, early)
        return outcome

    def settled(self, session: Session, envelope: dict[str, Any]) -> Outcome:
        source = Source.of(envelope)
        hold = self._hold_or_park(session, source, envelope)
        if hold is None:
            return Outcome("parked")
        if hold.status in ("posted", "reversed"):
            return _duplicate(source, hold.status)
        if hold.status != "pending":
            return _refuse(
                session,
                source,
                f"hold_{hold.status}",
                f"the transfer's hold is {hold.status}; settlement cannot post it",
            )
        amount = events.settled_amount(envelope)
        terms = hold.terms
        if amount != Money(terms.amount, terms.currency):
            return _refuse(
                session,
                source,
                "amount_mismatch",
                f"settled {amount.to_wire()} but the hold is for"
                f" {Money(terms.amount, terms.currency).to_wire()}",
            )
        holds.resolve(session, hold.id, status="posted", event_id=source.event_id)
        entry = _book(session, source, hold, "post", rules.post(terms))
        return Outcome("posted", entry)

    def returned(self, session: Session, envelope: dict[str, Any]) -> Outcome:
        source = Source.of(envelope)
        hold = self._hold_or_park(session, source, envelope)
        if hold is None:
            return Outcome("parked")
        if hold.status == "pending":
            holds.resolve(session, hold.id, status="voided", event_id=source.event_id)
            entry = _book(session, source, hold, "void", rules.release(hold.terms))
            return Outcome("voided", entry)
        if hold.status == "posted":
            holds.resolve(session, hold.id, status="reversed", event_id=source.event_id)
            entry = _book(session, source, hold, "reverse", rules.reverse(hold.terms))
            return Outcome("reversed", entry)
        return _duplicate(source, hold.status)

    def voiding(self, session: Session, envelope: dict[str, Any]) -> Outcome:
        """transfers.failed and transfers.rejected: release a pending hold."""
        source = Source.of(envelope)
        if events.is_pre_submission_rejection(envelope):
            existing = holds.lock(session, source.transfer_id)
            if existing is None:
                log.info(
                    "ledger.rejection.before_hold",
                    transfer_id=source.transfer_id,
                    event_id=source.event_id,
                )
                return Outcome("ignored")
        hold = self._hold_or_park(session, source, envelope)
        if hold is None:
            return Outcome("parked")
        if hold.status == "pending":
            holds.resolve(session, hold.id, status="voided", event_id=source.event_id)
            entry = _book(session, source, hold, "void", rules.release(hold.terms))
            return Outcome("voided", entry)
        if hold.status in ("posted", "reversed"):
            return _refuse(
                session,
                source,
                "hold_posted",
                f"the transfer's hold is {hold.status}; {source.event_type} cannot"
                " void it (a settled transfer is corrected by a return)",
            )
        return _duplicate(source, hold.status)

    # --- sweeps --------------------------------------------------------------------

    def expire_due(self, session: Session, *, now: datetime, limit: int = 100) -> int:
        due = holds.due_for_expiry(session, now, limit)
        for hold in due:
            holds.resolve(session, hold.id, status="expired", event_id=None)
            journal.post(
                session,
                journal.Draft(
                    kind="expire",
                    lines=rules.release(hold.terms),
                    transfer_id=hold.transfer_id,
                    hold_id=hold.id,
                    event_time=hold.expires_at,
                ),
            )
            log.info("ledger.hold.expired", transfer_id=hold.transfer_id)
        return len(due)

    def refuse_stale_parked(
        self, session: Session, *, now: datetime, park_ttl: timedelta, limit: int = 100
    ) -> int:
        stale = holds.stale_placeholders(session, now - park_ttl, limit)
        for transfer_id in stale:
            for envelope in holds.unpark(session, transfer_id):
                _refuse(
                    session,
                    Source.of(envelope),
                    "no_hold",
                    "no submission of this transfer reached the ledger within"
                    f" {park_ttl}",
                )
            placeholder = holds.get(session, transfer_id)
            assert placeholder is not None
            holds.resolve(
                session,
                placeholder.id,
                status="refused",
                event_id=None,
                reason="no_hold",
            )
        return len(stale)

    # --- helpers -------------------------------------------------------------------

    def _hold_or_park(
        self, session: Session, source: Source, envelope: dict[str, Any]
    ) -> holds.HoldRow | None:
        hold = holds.lock(session, source.transfer_id)
        if hold is None and not holds.open_placeholder(session, source.transfer_id):
            # the submission committed while we waited on its row: use it
            hold = holds.lock(session, source.transfer_id)
        if hold is None or hold.status == "awaiting":
            holds.park(
                session,
                transfer_id=source.transfer_id,
                envelope=envelope,
                event_time=source.time,
            )
            log.info(
                "ledger.event.parked",
                transfer_id=source.transfer_id,
                event_id=source.event_id,
                event_type=source.event_type,
            )
            return None
        return hold


def fund(
    session: Session, *, account: str, money: Money, reference: str
) -> journal.Posted | None:
    """A deposit from the funding account; None when that reference was booked."""
    source_event_id = f"fund:{reference}"
    if holds.deposit_exists(session, source_event_id):
        return None
    return journal.post(
        session,
        journal.Draft(
            kind="post",
            lines=rules.deposit(account, money.minor, money.currency),
            source_event_id=source_event_id,
            source_event_type="ledger.fund",
        ),
    )
