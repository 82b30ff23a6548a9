"""Many postings at once on the same accounts: no update is lost, no floor breached."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy.orm import Session, sessionmaker

from storo_ledger.accounts import chart
from storo_ledger.journal import repository
from tests import events
from tests.conftest import Books

THREADS = 8


def run_all(books: Books, envelopes: list[dict]) -> list[str]:
    with ThreadPoolExecutor(THREADS) as pool:
        return [outcome.action for outcome in pool.map(books.apply, envelopes)]


def posted_of(books: Books, account_id: str) -> int:
    try:
        return books.figures(account_id).posted
    except AssertionError:  # not opened yet
        return 0


class TestConcurrentPostings:
    def test_every_balance_adds_up_after_concurrent_holds_and_settlements(
        self, books: Books, sessions: sessionmaker[Session]
    ) -> None:
        debtors = [events.new_account() for _ in range(3)]
        for debtor in debtors:
            books.fund(debtor, "1000.00")
        transfers = [(events.new_transfer(), debtors[n % 3]) for n in range(60)]
        start = {
            a: posted_of(books, a) for a in ("settlement:oppwa:ZAR", "fees:revenue:ZAR")
        }
        held = run_all(
            books,
            [events.submitted(t, d, amount="10.00", fee="0.50") for t, d in transfers],
        )
        assert Counter(held) == {"held": 60}
        posted = run_all(
            books, [events.settled(t, amount="10.00") for t, _ in transfers]
        )
        assert Counter(posted) == {"posted": 60}
        for debtor in debtors:
            shown = books.figures(chart.customer(debtor, "ZAR"))
            assert (shown.posted, shown.pending) == (100000 - 20 * 1050, 0)
        # the settlement and fee accounts are shared with the other tests, which run
        # one at a time: exactly our postings moved them
        settled = posted_of(books, "settlement:oppwa:ZAR")
        assert settled - start["settlement:oppwa:ZAR"] == -60 * 1000
        assert (
            posted_of(books, "fees:revenue:ZAR") - start["fees:revenue:ZAR"] == 60 * 50
        )
        with sessions() as session:
            assert repository.balance_mismatches(session) == []

    def test_racing_holds_never_take_an_account_below_zero(self, books: Books) -> None:
        debtor = events.new_account()
        books.fund(debtor, "100.00")
        envelopes = [
            events.submitted(events.new_transfer(), debtor, amount="10.00", fee="0.00")
            for _ in range(25)
        ]
        outcomes = Counter(run_all(books, envelopes))
        assert outcomes == {"held": 10, "refused": 15}
        shown = books.figures(chart.customer(debtor, "ZAR"))
        assert (shown.posted, shown.available) == (10000, 0)

    def test_concurrent_deposits_all_land(self, books: Books) -> None:
        debtor = events.new_account()
        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(lambda n: books.fund(debtor, f"{n}.00"), range(1, 41)))
        assert books.figures(chart.customer(debtor, "ZAR")).posted == 820 * 100
