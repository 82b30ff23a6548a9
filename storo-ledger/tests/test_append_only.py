"""Journal rows cannot be changed, not even by the ledger's own role."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import Books
from tests.events import new_account

REFUSED = "append-only|permission denied"


@pytest.fixture
def entry_id(books: Books, sessions: sessionmaker[Session]) -> str:
    account = new_account()
    books.fund(account, "10.00")
    with sessions() as session:
        return str(
            session.execute(
                text("SELECT entry_id FROM ledger.lines WHERE account_id = :a LIMIT 1"),
                {"a": f"customer:{account}:ZAR"},
            ).scalar_one()
        )


def attempt(engine: Engine, sql: str, entry_id: str) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), {"id": entry_id})


class TestAsTheLedgerRole:
    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE ledger.lines SET amount = amount + 1 WHERE entry_id = :id",
            "DELETE FROM ledger.lines WHERE entry_id = :id",
            "UPDATE ledger.entries SET kind = 'void' WHERE id = :id",
            "DELETE FROM ledger.entries WHERE id = :id",
        ],
    )
    def test_update_and_delete_are_refused(
        self, engine: Engine, entry_id: str, sql: str
    ) -> None:
        with pytest.raises(DBAPIError, match=REFUSED):
            attempt(engine, sql, entry_id)

    def test_truncate_is_refused(self, engine: Engine) -> None:
        with pytest.raises(DBAPIError, match=REFUSED), engine.begin() as conn:
            conn.execute(text("TRUNCATE ledger.lines"))


class TestEvenWithThePrivilege:
    """A superuser holds every privilege; the trigger still refuses the change."""

    @pytest.mark.parametrize(
        "sql",
        [
            "UPDATE ledger.lines SET amount = amount + 1 WHERE entry_id = :id",
            "DELETE FROM ledger.lines WHERE entry_id = :id",
            "UPDATE ledger.entries SET hash = 'x' WHERE id = :id",
        ],
    )
    def test_the_trigger_refuses(
        self, admin_engine: Engine, entry_id: str, sql: str
    ) -> None:
        with pytest.raises(DBAPIError, match="append-only"):
            attempt(admin_engine, sql, entry_id)

    def test_the_lines_are_unchanged_afterwards(
        self, admin_engine: Engine, sessions: sessionmaker[Session], entry_id: str
    ) -> None:
        with pytest.raises(DBAPIError):
            attempt(
                admin_engine,
                "UPDATE ledger.lines SET amount = 1 WHERE entry_id = :id",
                entry_id,
            )
        with sessions() as session:
            amounts = session.execute(
                text("SELECT amount FROM ledger.lines WHERE entry_id = :id"),
                {"id": entry_id},
            ).scalars()
            assert set(amounts) == {1000}
