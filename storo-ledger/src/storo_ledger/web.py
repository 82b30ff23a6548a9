"""Request-scoped database sessions: one read-only transaction per request."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def session(request: Request) -> Iterator[Session]:
    factory = request.app.state.sessions
    with factory() as db, db.begin():
        yield db
