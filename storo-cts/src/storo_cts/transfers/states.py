"""The transfer state machine.

Every status change of a transfer goes through :func:`require` (intake steps) or
:func:`plan` (events from gateways and recon). The tables below are the whole rule
book; docs/README.md explains them in prose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    SCREENED = "screened"
    HELD = "held"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    SETTLED = "settled"
    RETURNED = "returned"
    REJECTED = "rejected"
    FAILED = "failed"


class Outcome(StrEnum):
    """What an incoming rail event does to a transfer."""

    # The event moves the transfer (possibly through implied steps first).
    APPLY = "applied"
    # The event repeats the current status (e.g. recon's statement proof of a
    # settlement the gateway already reported): recorded, nothing changes.
    CONFIRMATION = "confirmation"
    # The event reports a status the transfer has already passed through (an
    # accepted arriving after the settled that implied it): recorded only.
    LATE = "late"
    # The event contradicts the transfer's history (settled after a return that
    # never followed a settlement): recorded and raised, never applied.
    ANOMALY = "anomaly"


S = Status

# Allowed direct transitions. ``None`` is the state before the transfer exists.
TRANSITIONS: dict[Status | None, frozenset[Status]] = {
    None: frozenset({S.RECEIVED}),
    S.RECEIVED: frozenset({S.SCREENED, S.HELD, S.REJECTED}),
    S.HELD: frozenset({S.SCREENED, S.REJECTED}),
    S.SCREENED: frozenset({S.SUBMITTED, S.REJECTED}),
    # A gateway rejects at its transform, before the rail has seen the transfer.
    S.SUBMITTED: frozenset({S.ACCEPTED, S.FAILED, S.REJECTED}),
    # A return may come straight after acceptance (the rail gives the funds
    # back without ever settling), or after settlement.
    S.ACCEPTED: frozenset({S.SETTLED, S.RETURNED, S.FAILED}),
    S.SETTLED: frozenset({S.RETURNED}),
    S.RETURNED: frozenset(),
    S.REJECTED: frozenset(),
    S.FAILED: frozenset(),
}

TERMINAL: frozenset[Status] = frozenset(
    s for s, targets in TRANSITIONS.items() if s is not None and not targets
)

# The out-of-order rule: a rail can only settle or return what it has accepted, so
# a settled or returned event that finds the transfer still submitted implies the
# acceptance the transfer has not heard of yet. The implied step is recorded (and
# emitted) before the event's own step.
IMPLIED: dict[tuple[Status, Status], tuple[Status, ...]] = {
    (S.SUBMITTED, S.SETTLED): (S.ACCEPTED, S.SETTLED),
    (S.SUBMITTED, S.RETURNED): (S.ACCEPTED, S.RETURNED),
}

# The statuses that rail events may carry a transfer to.
RAIL_STATUSES: frozenset[Status] = frozenset(
    {S.ACCEPTED, S.SETTLED, S.RETURNED, S.FAILED, S.REJECTED}
)

# Event type -> the status it reports.
EVENT_STATUS: dict[str, Status] = {
    "transfers.accepted": S.ACCEPTED,
    "transfers.settled": S.SETTLED,
    "transfers.returned": S.RETURNED,
    "transfers.failed": S.FAILED,
    "transfers.rejected": S.REJECTED,
}


class TransitionRefused(Exception):
    """A status change that the state machine does not allow."""

    def __init__(self, current: Status | None, target: Status) -> None:
        super().__init__(f"{current} -> {target} is not an allowed transition")
        self.current = current
        self.target = target


def allowed(current: Status | None, target: Status) -> bool:
    return target in TRANSITIONS[current]


def require(current: Status | None, target: Status) -> None:
    """Refuse a direct transition the table does not list."""
    if not allowed(current, target):
        raise TransitionRefused(current, target)


@dataclass(frozen=True)
class Plan:
    outcome: Outcome
    # The statuses to pass through, in order; empty unless ``outcome`` is APPLY.
    steps: tuple[Status, ...] = ()

    @property
    def implied(self) -> tuple[Status, ...]:
        """The steps taken because of the out-of-order rule (all but the last)."""
        return self.steps[:-1]


def plan(current: Status, target: Status, visited: Iterable[Status]) -> Plan:
    """Decide what a rail event reporting ``target`` does to a transfer.

    ``visited`` holds every status the transfer has been in, implied ones included.
    """
    if target == current:
        return Plan(Outcome.CONFIRMATION)
    if allowed(current, target):
        return Plan(Outcome.APPLY, (target,))
    path = IMPLIED.get((current, target))
    if path is not None:
        return Plan(Outcome.APPLY, path)
    if target in set(visited):
        return Plan(Outcome.LATE)
    return Plan(Outcome.ANOMALY)
