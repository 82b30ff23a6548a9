"""Fixtures: the ledger schema migrated into a fresh database, sessions, helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from storo_platform.migrations import upgrade
from storo_testing import ServiceDatabase

from storo_ledger.accounts import repository as accounts
from storo_ledger.accounts import service as figures
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.postings.service import Outcome, Postings


@pytest.fixture(scope="session")
def ledger_db(
    service_database_factory: Callable[[str], ServiceDatabase],
) -> ServiceDatabase:
    database = service_database_factory("ledger")
    upgrade("storo_ledger", database.url)
    return database


@pytest.fixture(scope="session")
def engine(ledger_db: ServiceDatabase) -> Iterator[Engine]:
    made = make_engine(ledger_db.url, pool_size=10)
    yield made
    made.dispose()


@pytest.fixture(scope="session")
def admin_engine(ledger_db: ServiceDatabase) -> Iterator[Engine]:
    made = create_engine(ledger_db.admin_url)
    yield made
    made.dispose()


@pytest.fixture(scope="session")
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessions(engine)


@pytest.fixture(scope="session")
def postings() -> Postings:
    return Postings(hold_ttl=timedelta(hours=120))


class Books:
    """Runs events through the ledger, one committed transaction each; reads back."""

    def __init__(self, sessions: sessionmaker[Session], postings: Postings) -> None:
        self.sessions = sessions
        self.postings = postings

    def apply(self, envelope: dict[str, Any]) -> Outcome:
        with self.sessions.begin() as session:
            return self.postings.handle(session, envelope)

    def fund(self, account: str, amount: str, currency: str = "ZAR") -> None:
        from storo_platform.money import parse_amount

        from storo_ledger.postings.service import fund

        with self.sessions.begin() as session:
            fund(
                session,
                account=account,
                money=parse_amount(amount, currency),
                reference=f"test:{account}:{amount}:{currency}",
            )

    def figures(self, account_id: str) -> figures.Figures:
        with self.sessions() as session:
            row = accounts.get(session, account_id)
            assert row is not None, f"{account_id} was never opened"
            return figures.figures_as_of(session, row, None)

    def hold_status(self, transfer_id: str) -> str | None:
        with self.sessions() as session:
            return session.execute(
                text(
                    "SELECT status FROM ledger.holds"
                    " WHERE transfer_id = CAST(:t AS uuid)"
                ),
                {"t": transfer_id},
            ).scalar_one_or_none()

    def entry_kinds(self, transfer_id: str) -> list[str]:
        with self.sessions() as session:
            return list(
                session.execute(
                    text(
                        "SELECT kind FROM ledger.entries"
                        " WHERE transfer_id = CAST(:t AS uuid) ORDER BY seq"
                    ),
                    {"t": transfer_id},
                ).scalars()
            )

    def outbox(self, event_type: str, subject: str) -> list[dict[str, Any]]:
        with self.sessions() as session:
            return [
                dict(envelope)
                for envelope in session.execute(
                    text(
                        "SELECT envelope FROM ledger.outbox"
                        " WHERE type = :type AND subject = :subject ORDER BY id"
                    ),
                    {"type": event_type, "subject": subject},
                ).scalars()
            ]


@pytest.fixture
def books(sessions: sessionmaker[Session], postings: Postings) -> Books:
    return Books(sessions, postings)


@pytest.fixture(scope="module")
def fresh_db(postgres: Any) -> Iterator[ServiceDatabase]:
    """A database of its own, for tests that must see only their own entries."""
    from storo_testing import create_service_database
    from storo_testing.databases import drop_service_database

    database = create_service_database(postgres, "ledger")
    upgrade("storo_ledger", database.url)
    try:
        yield database
    finally:
        drop_service_database(postgres, database)
