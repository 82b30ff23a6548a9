"""The directory's FastAPI application."""

import logging

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_otel import create_app, database_check, instrument_engine

from storo_directory import __version__
from storo_directory.bins.api import router as bins_router
from storo_directory.catalog.api import router as catalog_router
from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.db import make_engine, make_sessions
from storo_directory.institutions.api import router as institutions_router
from storo_directory.quotes.api import router as quotes_router
from storo_directory.settings import DirectorySettings
from storo_directory.settlement.api import router as settlement_router

SERVICE = "storo-directory"


def build_app(
    settings: DirectorySettings,
    *,
    engine: Engine | None = None,
    sessions: sessionmaker[Session] | None = None,
) -> FastAPI:
    if engine is None:
        if not settings.database_url:
            raise RuntimeError("STORO_DIRECTORY_DATABASE_URL is not set")
        engine = make_engine(settings.database_url)
    instrument_engine(engine)
    sessions = sessions or make_sessions(engine)
    app = create_app(
        service=SERVICE,
        version=__version__,
        settings=settings,
        readiness=[database_check(engine)],
        max_body_bytes=settings.import_max_bytes,
    )
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.catalog = DatasetCatalog(
        sessions, ttl_seconds=settings.catalog_ttl_seconds
    )
    for router in (
        institutions_router,
        bins_router,
        settlement_router,
        quotes_router,
        catalog_router,
    ):
        app.include_router(router)
    return app


def create() -> FastAPI:
    """The uvicorn factory: settings from the environment."""
    app = build_app(DirectorySettings())
    # uvicorn's access line holds the raw path, and a caller may paste a card number
    # into /v1/bins/{bin}; storo_otel already logs every request by route template.
    logging.getLogger("uvicorn.access").disabled = True
    return app
