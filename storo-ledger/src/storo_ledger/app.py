"""The HTTP service: read-only views of the books and the chain verification."""

from __future__ import annotations

from fastapi import FastAPI
from storo_otel import create_app, database_check, instrument_engine

from storo_ledger import SERVICE, __version__
from storo_ledger.accounts.api import router as accounts_router
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.journal.api import router as journal_router
from storo_ledger.settings import LedgerSettings


class MissingSetting(RuntimeError):
    """A setting the process cannot run without."""


def build(settings: LedgerSettings) -> FastAPI:
    if not settings.database_url:
        raise MissingSetting("STORO_LEDGER_DATABASE_URL is required")
    engine = make_engine(settings.database_url)
    instrument_engine(engine)
    app = create_app(
        service=SERVICE,
        version=__version__,
        settings=settings,
        readiness=[database_check(engine)],
    )
    app.state.engine = engine
    app.state.sessions = make_sessions(engine)
    app.include_router(accounts_router)
    app.include_router(journal_router)
    return app


def factory() -> FastAPI:
    """For ``uvicorn --factory storo_ledger.app:factory`` (settings from the env)."""
    return build(LedgerSettings())
