"""The HTTP API against the real database, every body checked against storo-specs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker
from storo_specs import validate_api
from storo_testing import ServiceDatabase

from storo_ledger.app import build
from storo_ledger.settings import LedgerSettings
from tests import events
from tests.conftest import Books


@pytest.fixture(scope="module")
def client(ledger_db: ServiceDatabase) -> Iterator[TestClient]:
    app = build(LedgerSettings(database_url=ledger_db.url, log_format="console"))
    with TestClient(app) as test_client:
        yield test_client
    app.state.engine.dispose()


@pytest.fixture
def settled_transfer(books: Books) -> tuple[str, str]:
    account, transfer = events.new_account(), events.new_transfer()
    books.fund(account, "500.00")
    books.apply(events.submitted(transfer, account))
    books.apply(events.settled(transfer))
    return account, transfer


def customer_path(account: str) -> str:
    return quote(f"customer:{account}:ZAR", safe=":")


class TestAccounts:
    def test_lists_accounts_by_pages(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        first = client.get("/v1/accounts", params={"limit": 2})
        assert first.status_code == 200
        validate_api("ledger", "AccountPage", first.json())
        assert len(first.json()["items"]) == 2
        cursor = first.json()["next_cursor"]
        assert cursor
        second = client.get("/v1/accounts", params={"limit": 2, "cursor": cursor})
        ids = [a["account"] for a in first.json()["items"] + second.json()["items"]]
        assert ids == sorted(set(ids))

    def test_one_account_shows_its_class(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        account, _ = settled_transfer
        body = client.get(f"/v1/accounts/{customer_path(account)}").json()
        validate_api("ledger", "Account", body)
        assert (body["kind"], body["normal_side"], body["category"]) == (
            "liability",
            "credit",
            "customer",
        )

    def test_an_unknown_account_is_a_problem_404(self, client: TestClient) -> None:
        response = client.get("/v1/accounts/customer:nobody:ZAR/balance")
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("application/problem+json")

    def test_a_bad_cursor_is_a_400(self, client: TestClient) -> None:
        assert client.get("/v1/accounts", params={"cursor": "!!"}).status_code == 400


class TestBalance:
    def test_shows_posted_held_and_available(
        self, client: TestClient, books: Books
    ) -> None:
        account, transfer = events.new_account(), events.new_transfer()
        books.fund(account, "500.00")
        books.apply(events.submitted(transfer, account))
        body = client.get(f"/v1/accounts/{customer_path(account)}/balance").json()
        validate_api("ledger", "Balance", body)
        assert body["balance"] == {"amount": "500.00", "currency": "ZAR"}
        assert body["held"] == {"amount": "102.50", "currency": "ZAR"}
        assert body["available"] == {"amount": "397.50", "currency": "ZAR"}

    def test_as_of_shows_the_books_at_that_moment(
        self, client: TestClient, books: Books, sessions: sessionmaker[Session]
    ) -> None:
        account = events.new_account()
        books.fund(account, "10.00")
        with sessions() as session:
            between = session.execute(text("SELECT clock_timestamp()")).scalar_one()
        books.fund(account, "5.00")
        path = f"/v1/accounts/{customer_path(account)}/balance"
        then = client.get(path, params={"as_of": between.isoformat()}).json()
        validate_api("ledger", "Balance", then)
        assert then["balance"]["amount"] == "10.00"
        assert client.get(path).json()["balance"]["amount"] == "15.00"

    def test_as_of_without_an_offset_is_refused(self, client: TestClient) -> None:
        response = client.get(
            "/v1/trial-balance", params={"as_of": "2026-12-03T10:00:00"}
        )
        assert response.status_code == 422


class TestEntries:
    def test_an_accounts_entries_page_by_cursor(
        self, client: TestClient, books: Books
    ) -> None:
        account = events.new_account()
        for amount in ("1.00", "2.00", "3.00"):
            books.fund(account, amount)
        path = f"/v1/accounts/{customer_path(account)}/entries"
        first = client.get(path, params={"limit": 2}).json()
        validate_api("ledger", "EntryPage", first)
        rest = client.get(path, params={"limit": 2, "cursor": first["next_cursor"]})
        assert rest.json()["next_cursor"] is None
        amounts = [
            line["amount"]["amount"]
            for entry in first["items"] + rest.json()["items"]
            for line in entry["lines"]
            if line["account"] == f"customer:{account}:ZAR"
        ]
        assert amounts == ["1.00", "2.00", "3.00"]

    def test_a_transfers_entries_with_its_hold(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        _, transfer = settled_transfer
        body = client.get(f"/v1/transfers/{transfer}/entries").json()
        validate_api("ledger", "EntryPage", body)
        assert [e["kind"] for e in body["items"]] == ["hold", "post"]
        assert body["hold"]["status"] == "posted"
        one = client.get(f"/v1/entries/{body['items'][1]['entry_id']}").json()
        validate_api("ledger", "Entry", one)
        assert one["event_id"] is not None
        listed = client.get("/v1/entries", params={"transfer_id": transfer}).json()
        assert [e["entry_id"] for e in listed["items"]] == [
            e["entry_id"] for e in body["items"]
        ]

    def test_an_unknown_transfer_is_a_404(self, client: TestClient) -> None:
        response = client.get(f"/v1/transfers/{events.new_transfer()}/entries")
        assert response.status_code == 404


class TestTrialBalance:
    def test_sums_to_zero_per_currency_now_and_in_the_past(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        for params in ({}, {"as_of": datetime.now(UTC).isoformat()}):
            body = client.get("/v1/trial-balance", params=params).json()
            validate_api("ledger", "TrialBalance", body)
            assert body["balanced"] is True
            for total in body["totals"]:
                assert total["debits"] == total["credits"]


class TestVerifyAndMetrics:
    def test_verify_reports_an_intact_chain(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        body = client.get("/v1/verify").json()
        assert body["ok"] is True
        assert body["first_break"] is None
        assert body["entries_checked"] > 0

    def test_metrics_expose_the_posting_latency(
        self, client: TestClient, settled_transfer: tuple[str, str]
    ) -> None:
        text_body = client.get("/metrics").text
        assert 'storo_ledger_posting_latency_seconds_count{kind="post"}' in text_body
        assert "storo_ledger_entries_posted_total" in text_body
