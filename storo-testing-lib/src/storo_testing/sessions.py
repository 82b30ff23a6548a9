"""A database session whose work is rolled back at the end of a test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


@contextmanager
def rollback_session(engine: Engine) -> Iterator[Session]:
    """A Session inside an outer transaction that is rolled back on exit.

    Code under test may commit: each commit only releases a savepoint, so the test
    still sees its own writes and the next test starts from the same state.
    """
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            yield session
        finally:
            session.close()
            outer.rollback()
