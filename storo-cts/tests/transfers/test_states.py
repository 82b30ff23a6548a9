"""The state machine's rule book, transition by transition."""

from __future__ import annotations

import itertools

import pytest

from storo_cts.transfers.states import (
    EVENT_STATUS,
    TERMINAL,
    TRANSITIONS,
    Outcome,
    Status,
    TransitionRefused,
    allowed,
    plan,
    require,
)

S = Status

ALLOWED = {
    (None, S.RECEIVED),
    (S.RECEIVED, S.SCREENED),
    (S.RECEIVED, S.HELD),
    (S.RECEIVED, S.REJECTED),
    (S.HELD, S.SCREENED),
    (S.HELD, S.REJECTED),
    (S.SCREENED, S.SUBMITTED),
    (S.SCREENED, S.REJECTED),
    (S.SUBMITTED, S.ACCEPTED),
    (S.SUBMITTED, S.FAILED),
    (S.SUBMITTED, S.REJECTED),
    (S.ACCEPTED, S.SETTLED),
    (S.ACCEPTED, S.RETURNED),
    (S.ACCEPTED, S.FAILED),
    (S.SETTLED, S.RETURNED),
}
EVERY_PAIR = [(a, b) for a, b in itertools.product([None, *Status], Status) if a != b]


class TestTransitions:
    @pytest.mark.parametrize(("current", "target"), sorted(ALLOWED, key=str))
    def test_listed_transition_is_allowed(
        self, current: Status | None, target: Status
    ) -> None:
        require(current, target)
        assert allowed(current, target)

    @pytest.mark.parametrize(
        ("current", "target"),
        [p for p in EVERY_PAIR if p not in ALLOWED],
        ids=lambda s: str(s),
    )
    def test_every_other_transition_is_refused(
        self, current: Status | None, target: Status
    ) -> None:
        with pytest.raises(TransitionRefused) as refused:
            require(current, target)
        assert (refused.value.current, refused.value.target) == (current, target)

    def test_the_table_is_exactly_the_listed_transitions(self) -> None:
        listed = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
        assert listed == ALLOWED

    def test_terminal_statuses_go_nowhere(self) -> None:
        assert {S.RETURNED, S.REJECTED, S.FAILED} == TERMINAL

    def test_a_status_never_moves_to_itself(self) -> None:
        for status in Status:
            assert not allowed(status, status)


class TestRailEvents:
    def test_every_rail_event_type_reports_a_status(self) -> None:
        assert set(EVENT_STATUS) == {
            "transfers.accepted",
            "transfers.settled",
            "transfers.returned",
            "transfers.failed",
            "transfers.rejected",
        }

    @pytest.mark.parametrize(
        ("current", "target"),
        [
            (S.SUBMITTED, S.ACCEPTED),
            (S.SUBMITTED, S.FAILED),
            (S.SUBMITTED, S.REJECTED),
            (S.ACCEPTED, S.SETTLED),
            (S.ACCEPTED, S.RETURNED),
            (S.ACCEPTED, S.FAILED),
            (S.SETTLED, S.RETURNED),
        ],
    )
    def test_an_event_in_order_applies_one_step(
        self, current: Status, target: Status
    ) -> None:
        decided = plan(current, target, [S.RECEIVED, S.SCREENED, current])
        assert decided.outcome is Outcome.APPLY
        assert decided.steps == (target,)
        assert decided.implied == ()

    def test_settled_before_accepted_implies_accepted(self) -> None:
        decided = plan(S.SUBMITTED, S.SETTLED, [S.SUBMITTED])
        assert decided.outcome is Outcome.APPLY
        assert decided.steps == (S.ACCEPTED, S.SETTLED)
        assert decided.implied == (S.ACCEPTED,)

    def test_returned_before_accepted_implies_accepted(self) -> None:
        decided = plan(S.SUBMITTED, S.RETURNED, [S.SUBMITTED])
        assert decided.steps == (S.ACCEPTED, S.RETURNED)

    def test_accepted_after_the_settlement_that_implied_it_is_late(self) -> None:
        visited = [S.SUBMITTED, S.ACCEPTED, S.SETTLED]
        assert plan(S.SETTLED, S.ACCEPTED, visited).outcome is Outcome.LATE

    def test_settled_again_is_a_confirmation(self) -> None:
        visited = [S.SUBMITTED, S.ACCEPTED, S.SETTLED]
        assert plan(S.SETTLED, S.SETTLED, visited).outcome is Outcome.CONFIRMATION

    def test_settled_after_a_return_without_settlement_is_an_anomaly(self) -> None:
        visited = [S.SUBMITTED, S.ACCEPTED, S.RETURNED]
        decided = plan(S.RETURNED, S.SETTLED, visited)
        assert decided.outcome is Outcome.ANOMALY
        assert decided.steps == ()

    def test_settled_after_settled_and_returned_is_late(self) -> None:
        visited = [S.SUBMITTED, S.ACCEPTED, S.SETTLED, S.RETURNED]
        assert plan(S.RETURNED, S.SETTLED, visited).outcome is Outcome.LATE

    @pytest.mark.parametrize(
        ("current", "target"),
        [
            (S.FAILED, S.SETTLED),
            (S.FAILED, S.ACCEPTED),
            (S.REJECTED, S.ACCEPTED),
            (S.SETTLED, S.FAILED),
            (S.SETTLED, S.REJECTED),
            (S.ACCEPTED, S.REJECTED),
            (S.RETURNED, S.FAILED),
            (S.RECEIVED, S.ACCEPTED),
            (S.HELD, S.SETTLED),
            (S.SCREENED, S.ACCEPTED),
        ],
    )
    def test_an_impossible_event_is_an_anomaly(
        self, current: Status, target: Status
    ) -> None:
        visited = [S.RECEIVED, current]
        assert plan(current, target, visited).outcome is Outcome.ANOMALY
