"""Handlers for the rail events CTS consumes from its inbox.

Each handler runs inside the consumer's transaction, which also records the event id
in the inbox: a redelivered event never reaches a handler twice. What an event does
to a transfer is decided by :func:`storo_cts.transfers.states.plan`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from storo_cts.observability import UNKNOWN_TRANSFERS, log
from storo_cts.transfers import repository
from storo_cts.transfers.states import EVENT_STATUS, Outcome, Status, plan
from storo_cts.transfers.timeline import Cause, Recorder


class TransferUnknown(Exception):
    """A rail event names a transfer CTS never created.

    Raised (not swallowed) so that the consumer retries it and then parks it in the
    dead-letter queue, where an operator can look at it.
    """

    def __init__(self, transfer_id: str, event_id: str) -> None:
        super().__init__(f"event {event_id} names unknown transfer {transfer_id}")
        self.transfer_id = transfer_id


def handle_rail_event(session: Session, envelope: dict[str, Any]) -> None:
    event_type = envelope["type"]
    reported = EVENT_STATUS[event_type]
    data = envelope["data"]
    raw_id = str(data["transfer_id"])
    transfer_id = uuid.UUID(raw_id)
    row = repository.lock_transfer(session, transfer_id)
    if row is None:
        UNKNOWN_TRANSFERS.labels(event_type=event_type).inc()
        log.warning(
            "transfer.event.unknown_transfer",
            transfer_id=raw_id,
            event_id=envelope["id"],
            event_type=event_type,
        )
        raise TransferUnknown(raw_id, envelope["id"])

    current = Status(row["status"])
    last_seq, visited = repository.history(session, transfer_id)
    recorder = Recorder(transfer_id, last_seq)
    rail = data.get("rail")
    if rail is not None and row["rail"] is not None and rail != row["rail"]:
        # An event from another rail than the one the transfer went out on cannot
        # be about this transfer's journey.
        decision_outcome = Outcome.ANOMALY
        steps: tuple[Status, ...] = ()
    else:
        decision = plan(current, reported, (Status(s) for s in visited))
        decision_outcome, steps = decision.outcome, decision.steps
    after = steps[-1] if steps else current
    recorder.consumed(
        envelope, decision_outcome, found=current, reported=reported, after=after
    )
    if decision_outcome is Outcome.APPLY:
        now = datetime.now(UTC)
        status = current
        reason = data.get("reason_code")
        for step in steps[:-1]:
            implied = Cause(envelope["id"], event_type, f"implied_by:{event_type}")
            status = recorder.transition(status, step, implied, at=now, implied=True)
        cause = Cause(envelope["id"], event_type, reason)
        status = recorder.transition(status, steps[-1], cause, at=now)
        repository.update_transfer(session, transfer_id, _changes(status, data, now))
    recorder.flush(session)


def _changes(status: Status, data: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    changes: dict[str, Any] = {"status": status.value, "updated_at": now}
    if data.get("rail_reference") is not None:
        changes["rail_reference"] = data["rail_reference"]
    if status in (Status.RETURNED, Status.FAILED, Status.REJECTED):
        changes["reason_code"] = data.get("reason_code")
        changes["reason"] = data.get("reason")
    if status is Status.REJECTED:
        changes["rejection_stage"] = data.get("stage", "gateway")
    return changes


HANDLERS: dict[str, Callable[[Session, dict[str, Any]], None]] = dict.fromkeys(
    EVENT_STATUS, handle_rail_event
)
