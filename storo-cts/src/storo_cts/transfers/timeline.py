"""Recording a transfer's timeline: every event it emitted and consumed.

Every applied status change goes through :meth:`Recorder.transition`, which checks it
against the state machine and queues ``transfers.status.changed`` for the outbox and
the timeline; :meth:`Recorder.flush` writes both in the caller's transaction. A
consumed rail event is appended with what the state machine made of it
(:meth:`Recorder.consumed`).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session
from storo_outbox import make_envelope

from storo_cts.observability import ANOMALIES, TRANSITIONS, log
from storo_cts.outbox import emit_all
from storo_cts.settings import SCHEMA, SERVICE
from storo_cts.transfers import repository
from storo_cts.transfers.states import Outcome, Status, require

_FRACTION = re.compile(r"\.(\d{6})\d+")


def wire_time(moment: datetime) -> str:
    """RFC 3339 UTC with microseconds and ``Z``, as every Storo wire carries it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(text: str) -> datetime:
    """Read an RFC 3339 timestamp (nanoseconds are cut to microseconds)."""
    return datetime.fromisoformat(_FRACTION.sub(r".\1", text))


@dataclass(frozen=True)
class Cause:
    event_id: str | None = None
    event_type: str | None = None
    reason: str | None = None

    def to_wire(self) -> dict[str, str | None]:
        return {
            "event_id": self.event_id,
            "event_type": self.event_type,
            "reason": self.reason,
        }


@dataclass
class Recorder:
    """Collects one transaction's timeline rows for one transfer."""

    transfer_id: uuid.UUID
    last_seq: int = 0
    rows: list[dict[str, Any]] = field(default_factory=list)
    envelopes: list[dict[str, Any]] = field(default_factory=list)

    def transition(
        self,
        current: Status | None,
        target: Status,
        cause: Cause,
        *,
        at: datetime,
        implied: bool = False,
    ) -> Status:
        require(current, target)
        envelope = self.emit(
            "transfers.status.changed",
            {
                "transfer_id": str(self.transfer_id),
                "from": None if current is None else current.value,
                "to": target.value,
                "cause": cause.to_wire(),
                "at": wire_time(at),
            },
            status=target,
            from_status=current,
            to_status=target,
            implied=implied,
        )
        TRANSITIONS.labels(
            from_status=current.value if current else "none", to_status=target.value
        ).inc()
        # Debug only: the same fact is an event in the outbox and a timeline row.
        log.debug(
            "transfer.status.changed",
            transfer_id=str(self.transfer_id),
            from_status=None if current is None else current.value,
            to_status=target.value,
            implied=implied,
            cause_event_type=cause.event_type,
            event_id=envelope["id"],
        )
        return target

    def emit(
        self,
        event_type: str,
        data: dict[str, Any],
        *,
        status: Status,
        from_status: Status | None = None,
        to_status: Status | None = None,
        implied: bool = False,
    ) -> dict[str, Any]:
        """Queue an event for the outbox and append it to the timeline.

        Both are written by :meth:`flush`, in the caller's transaction.
        """
        envelope = make_envelope(
            type=event_type,
            source=SERVICE,
            subject=str(self.transfer_id),
            data=data,
        )
        self.envelopes.append(envelope)
        self._row(
            envelope,
            "emitted",
            status=status,
            outcome=None,
            from_status=from_status,
            to_status=to_status,
            implied=implied,
        )
        return envelope

    def consumed(
        self,
        envelope: dict[str, Any],
        outcome: Outcome,
        *,
        found: Status,
        reported: Status,
        after: Status,
    ) -> None:
        """Append a consumed event with what it did (``outcome``) to the timeline."""
        self._row(
            envelope,
            "consumed",
            status=after,
            outcome=outcome,
            from_status=found,
            to_status=reported,
            implied=False,
        )
        fields = {
            "transfer_id": str(self.transfer_id),
            "status": found.value,
            "reported": reported.value,
            "event_id": envelope["id"],
            "event_type": envelope["type"],
        }
        if outcome is Outcome.ANOMALY:
            # Raised three ways: a warning log for whoever is watching, a metric for
            # the alert rule, and the timeline entry (outcome "anomaly") for the
            # record. The transfer's status is left as it was.
            ANOMALIES.labels(
                event_type=envelope["type"],
                from_status=found.value,
                to_status=reported.value,
            ).inc()
            log.warning("transfer.anomaly", **fields)
        elif outcome is not Outcome.APPLY:
            log.info(f"transfer.event.{outcome.value}", **fields)

    def flush(self, session: Session) -> None:
        """Write the queued events and timeline rows (two statements in all)."""
        emit_all(session, schema=SCHEMA, envelopes=self.envelopes)
        repository.insert_timeline(session, self.rows)
        self.envelopes.clear()
        self.rows.clear()

    def _row(
        self,
        envelope: dict[str, Any],
        direction: str,
        *,
        status: Status,
        outcome: Outcome | None,
        from_status: Status | None,
        to_status: Status | None,
        implied: bool,
    ) -> None:
        self.last_seq += 1
        self.rows.append(
            {
                "transfer_id": self.transfer_id,
                "seq": self.last_seq,
                "event_id": str(envelope["id"]),
                "type": envelope["type"],
                "v": int(envelope.get("v", 1)),
                "source": envelope["source"],
                "time": parse_time(envelope["time"]),
                "direction": direction,
                "data": envelope["data"],
                "status": status.value,
                "outcome": None if outcome is None else outcome.value,
                "from_status": None if from_status is None else from_status.value,
                "to_status": None if to_status is None else to_status.value,
                "implied": implied,
            }
        )
