"""Tampering with the books, the way only a superuser could, is detected by verify."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from storo_testing import ServiceDatabase

from storo_ledger import cli
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.journal import audit
from storo_ledger.postings.service import Postings
from tests import events
from tests.conftest import Books


@pytest.fixture(scope="module")
def books_of_fresh(fresh_db: ServiceDatabase, postings: Postings) -> Iterator[Books]:
    engine = make_engine(fresh_db.url)
    yield Books(make_sessions(engine), postings)
    engine.dispose()


@pytest.fixture(scope="module")
def admin(fresh_db: ServiceDatabase) -> Iterator[Engine]:
    engine = create_engine(fresh_db.admin_url)
    yield engine
    engine.dispose()


def run_verify(
    fresh_db: ServiceDatabase,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, dict[str, Any]]:
    monkeypatch.setenv("STORO_LEDGER_DATABASE_URL", fresh_db.url)
    code = cli.main(["verify"])
    out = capsys.readouterr().out.strip().splitlines()[-1]
    return code, json.loads(out)


def tamper(admin: Engine, sql: str, **params: object) -> None:
    """Disable the guard as only a superuser can, change a row, restore the guard."""
    with admin.begin() as conn:
        conn.execute(text("ALTER TABLE ledger.lines DISABLE TRIGGER USER"))
        conn.execute(text("ALTER TABLE ledger.entries DISABLE TRIGGER USER"))
        conn.execute(text(sql), params)
        conn.execute(text("ALTER TABLE ledger.lines ENABLE TRIGGER USER"))
        conn.execute(text("ALTER TABLE ledger.entries ENABLE TRIGGER USER"))


class TestVerify:
    """In order: intact books verify; then one line is altered and named."""

    def test_intact_books_verify(
        self,
        books_of_fresh: Books,
        fresh_db: ServiceDatabase,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        account = events.new_account()
        books_of_fresh.fund(account, "300.00")
        for _ in range(3):
            transfer = events.new_transfer()
            books_of_fresh.apply(events.submitted(transfer, account, amount="10.00"))
            books_of_fresh.apply(events.settled(transfer, amount="10.00"))
        code, report = run_verify(fresh_db, monkeypatch, capsys)
        assert code == 0
        assert report["ok"] is True
        assert report["entries_checked"] == 7

    def test_an_altered_amount_is_named_by_its_entry(
        self,
        books_of_fresh: Books,
        admin: Engine,
        fresh_db: ServiceDatabase,
        monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        with admin.connect() as conn:
            victim = conn.execute(
                text("SELECT id::text, seq FROM ledger.entries WHERE seq = 4")
            ).one()
        tamper(
            admin,
            "UPDATE ledger.lines SET amount = amount + 100"
            " WHERE entry_id = CAST(:id AS uuid) AND line_no = 1",
            id=victim.id,
        )
        code, report = run_verify(fresh_db, monkeypatch, capsys)
        assert code == 1
        assert report["first_break"]["entry_id"] == victim.id
        assert report["first_break"]["seq"] == 4
        assert report["entries_checked"] == 3
        with books_of_fresh.sessions() as session:
            assert audit.verify(session).first_break is not None

    def test_an_edited_balance_row_is_listed(
        self, books_of_fresh: Books, fresh_db: ServiceDatabase
    ) -> None:
        account = events.new_account()
        books_of_fresh.fund(account, "1.00")
        # balance rows are the one thing the role may update; verify still sees it
        engine = create_engine(fresh_db.url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE ledger.balances SET credits_posted = credits_posted + 1"
                    " WHERE account_id = :a"
                ),
                {"a": f"customer:{account}:ZAR"},
            )
        engine.dispose()
        with books_of_fresh.sessions() as session:
            report = audit.verify(session)
        # the line altered in the test before shows up too: its account no longer
        # sums to its balance row
        assert f"customer:{account}:ZAR" in report.balance_mismatches
        assert not report.ok
