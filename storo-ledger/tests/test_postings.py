"""Each event's posting rule against the real database, through the hold lifecycle."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from storo_ledger.accounts import chart
from storo_ledger.postings.service import Postings
from tests import events
from tests.conftest import Books


def funded(books: Books, amount: str = "500.00") -> str:
    account = events.new_account()
    books.fund(account, amount)
    return account


def customer(account: str) -> str:
    return chart.customer(account, "ZAR")


class TestSubmitted:
    def test_places_a_hold_that_reduces_available_not_posted(
        self, books: Books
    ) -> None:
        account, transfer = funded(books), events.new_transfer()
        outcome = books.apply(events.submitted(transfer, account))
        assert outcome.action == "held"
        shown = books.figures(customer(account))
        assert (shown.posted, shown.pending, shown.available) == (50000, -10250, 39750)
        assert books.hold_status(transfer) == "pending"

    def test_a_hold_beyond_the_funds_is_refused_and_raised(self, books: Books) -> None:
        account, transfer = funded(books, "50.00"), events.new_transfer()
        outcome = books.apply(events.submitted(transfer, account))
        assert (outcome.action, outcome.reason_code) == (
            "refused",
            "insufficient_funds",
        )
        assert books.figures(customer(account)).available == 5000
        assert books.entry_kinds(transfer) == []
        (raised,) = books.outbox("ledger.posting.refused", transfer)
        assert raised["data"]["reason_code"] == "insufficient_funds"
        events.validate(raised)

    def test_an_unknown_debtor_is_opened_and_refused(self, books: Books) -> None:
        account, transfer = events.new_account(), events.new_transfer()
        assert books.apply(events.submitted(transfer, account)).action == "refused"
        assert books.figures(customer(account)).posted == 0

    def test_a_second_submission_of_the_transfer_is_a_duplicate(
        self, books: Books
    ) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        assert books.apply(events.submitted(transfer, account)).action == "duplicate"
        assert books.figures(customer(account)).pending == -10250

    def test_the_posted_event_carries_the_hold_lines(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        (posted,) = books.outbox("ledger.entry.posted", transfer)
        events.validate(posted)
        assert posted["data"]["kind"] == "hold"
        assert {
            (line["account"], line["side"]) for line in posted["data"]["lines"]
        } == {
            (customer(account), "debit"),
            ("suspense:oppwa:ZAR", "credit"),
        }


class TestSettled:
    def test_posts_to_settlement_and_fee_revenue(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        assert books.apply(events.settled(transfer)).action == "posted"
        shown = books.figures(customer(account))
        assert (shown.posted, shown.pending, shown.available) == (39750, 0, 39750)
        assert books.entry_kinds(transfer) == ["hold", "post"]
        assert books.hold_status(transfer) == "posted"

    def test_a_second_settlement_from_recon_is_harmless(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.settled(transfer))
        again = events.settled(transfer, source="storo-recon", proof="statement")
        assert books.apply(again).action == "duplicate"
        assert books.entry_kinds(transfer) == ["hold", "post"]
        assert books.outbox("ledger.posting.refused", transfer) == []

    def test_settled_after_a_void_is_refused_and_raised(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.failed(transfer))
        outcome = books.apply(events.settled(transfer))
        assert (outcome.action, outcome.reason_code) == ("refused", "hold_voided")
        assert books.entry_kinds(transfer) == ["hold", "void"]
        (raised,) = books.outbox("ledger.posting.refused", transfer)
        events.validate(raised)

    def test_a_different_amount_is_refused_and_the_hold_stays(
        self, books: Books
    ) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        outcome = books.apply(events.settled(transfer, amount="99.00"))
        assert outcome.reason_code == "amount_mismatch"
        assert books.hold_status(transfer) == "pending"


class TestVoiding:
    def test_failed_releases_the_hold(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        assert books.apply(events.failed(transfer)).action == "voided"
        shown = books.figures(customer(account))
        assert (shown.posted, shown.available) == (50000, 50000)
        assert books.hold_status(transfer) == "voided"

    def test_a_gateway_rejection_releases_the_hold(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        assert books.apply(events.rejected(transfer)).action == "voided"

    def test_a_screening_rejection_without_a_hold_is_ignored(
        self, books: Books
    ) -> None:
        transfer = events.new_transfer()
        outcome = books.apply(events.rejected(transfer, stage="screening", rail=None))
        assert outcome.action == "ignored"
        assert books.hold_status(transfer) is None

    def test_failed_after_settlement_is_refused(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.settled(transfer))
        assert books.apply(events.failed(transfer)).reason_code == "hold_posted"

    def test_a_hold_resolves_once(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.failed(transfer))
        assert books.apply(events.rejected(transfer)).action == "duplicate"
        assert books.apply(events.returned(transfer)).action == "duplicate"
        assert books.entry_kinds(transfer) == ["hold", "void"]


class TestReturned:
    def test_before_settlement_voids(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        assert books.apply(events.returned(transfer)).action == "voided"
        assert books.figures(customer(account)).available == 50000

    def test_after_settlement_reverses(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.settled(transfer))
        assert books.apply(events.returned(transfer)).action == "reversed"
        assert books.figures(customer(account)).posted == 50000
        assert books.figures("fees:refunded:ZAR").posted >= 250
        assert books.entry_kinds(transfer) == ["hold", "post", "reverse"]
        assert books.apply(events.returned(transfer)).action == "duplicate"


class TestOutOfOrder:
    def test_settled_before_submitted_is_parked_then_booked(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        assert books.apply(events.settled(transfer)).action == "parked"
        assert books.hold_status(transfer) == "awaiting"
        assert books.apply(events.submitted(transfer, account)).action == "held"
        assert books.entry_kinds(transfer) == ["hold", "post"]
        assert books.figures(customer(account)).posted == 39750

    def test_parked_events_replay_oldest_first(self, books: Books) -> None:
        account, transfer = funded(books), events.new_transfer()
        settle, give_back = events.settled(transfer), events.returned(transfer)
        books.apply(give_back)  # arrives first although it happened later
        books.apply(settle)
        books.apply(events.submitted(transfer, account))
        assert books.entry_kinds(transfer) == ["hold", "post", "reverse"]

    def test_parked_too_long_is_refused_as_no_hold(
        self, books: Books, sessions: sessionmaker[Session], postings: Postings
    ) -> None:
        transfer = events.new_transfer()
        books.apply(events.settled(transfer))
        later = datetime.now(UTC) + timedelta(hours=2)
        with sessions.begin() as session:
            postings.refuse_stale_parked(
                session, now=later, park_ttl=timedelta(hours=1), limit=10_000
            )
        (raised,) = books.outbox("ledger.posting.refused", transfer)
        assert raised["data"]["reason_code"] == "no_hold"
        assert books.hold_status(transfer) == "refused"


class TestExpiry:
    def test_an_expired_hold_is_released_and_cannot_settle(
        self, books: Books, sessions: sessionmaker[Session], postings: Postings
    ) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        with sessions() as session:
            expires_at = session.execute(
                text("SELECT expires_at FROM ledger.holds WHERE transfer_id = :t"),
                {"t": transfer},
            ).scalar_one()
        with sessions.begin() as session:
            postings.expire_due(session, now=expires_at, limit=10_000)
        assert books.hold_status(transfer) == "expired"
        assert books.figures(customer(account)).available == 50000
        assert books.apply(events.settled(transfer)).reason_code == "hold_expired"
        assert books.entry_kinds(transfer) == ["hold", "expire"]


class TestBooks:
    def test_trial_balance_is_zero_and_balances_match_lines(
        self, books: Books, sessions: sessionmaker[Session]
    ) -> None:
        from storo_ledger.accounts import service
        from storo_ledger.journal import repository

        account, transfer = funded(books), events.new_transfer()
        books.apply(events.submitted(transfer, account))
        books.apply(events.settled(transfer))
        with sessions() as session:
            for as_of in (None, datetime.now(UTC)):
                totals, _ = service.trial_balance(session, as_of)
                assert totals
                assert all(t.balanced for t in totals)
            assert repository.balance_mismatches(session) == []

    def test_a_balance_as_of_the_past_ignores_later_entries(
        self, books: Books, sessions: sessionmaker[Session]
    ) -> None:
        from storo_ledger.accounts import repository, service

        account, transfer = funded(books), events.new_transfer()
        with sessions() as session:
            before = session.execute(text("SELECT clock_timestamp()")).scalar_one()
        books.apply(events.submitted(transfer, account))
        with sessions() as session:
            row = repository.get(session, customer(account))
            assert row is not None
            then = service.figures_as_of(session, row, before)
            now = service.figures_as_of(session, row, None)
        assert (then.posted, then.pending) == (50000, 0)
        assert (now.posted, now.pending) == (50000, -10250)


class TestLateSubmission:
    def test_a_submission_after_its_events_were_refused_is_raised(
        self, books: Books, sessions: sessionmaker[Session], postings: Postings
    ) -> None:
        account, transfer = funded(books), events.new_transfer()
        books.apply(events.settled(transfer))
        with sessions.begin() as session:
            postings.refuse_stale_parked(
                session,
                now=datetime.now(UTC) + timedelta(hours=2),
                park_ttl=timedelta(hours=1),
                limit=10_000,
            )
        outcome = books.apply(events.submitted(transfer, account))
        assert (outcome.action, outcome.reason_code) == ("refused", "hold_refused")
        assert books.figures(customer(account)).available == 50000
