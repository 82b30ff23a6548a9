"""The ASGI app: storo_otel's factory plus compliance's routers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import boto3
from fastapi import FastAPI
from storo_otel import create_app, database_check, get_logger, instrument_engine

from storo_compliance import __version__
from storo_compliance.db import make_engine, make_sessions
from storo_compliance.deps import State
from storo_compliance.lists import repository as lists_repository
from storo_compliance.lists.api import router as lists_router
from storo_compliance.ruleouts.api import router as ruleouts_router
from storo_compliance.screening.api import router as screening_router
from storo_compliance.screening.holder import IndexHolder
from storo_compliance.settings import SERVICE, ComplianceSettings

log = get_logger(__name__)


def s3_factory(settings: ComplianceSettings) -> Any:
    def make() -> Any:
        return boto3.client(
            "s3",
            endpoint_url=settings.aws_endpoint_url,
            region_name=settings.aws_region,
        )

    return make


def build_app(settings: ComplianceSettings | None = None) -> FastAPI:
    settings = settings or ComplianceSettings()
    assert settings.database_url, "STORO_COMPLIANCE_DATABASE_URL must be set"
    engine = make_engine(settings.database_url)
    instrument_engine(engine)
    sessions = make_sessions(engine)
    state = State(settings, engine, sessions, IndexHolder(), s3_factory(settings))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Build the index before the first request, so that one does not pay.
        try:
            with sessions() as session:
                active = lists_repository.active_versions(session)
                state.holder.current(session, active)
        except Exception as exc:  # the database may not be up yet; /ready says so
            log.warning("screening.index_warmup_failed", error=repr(exc))
        yield
        engine.dispose()

    app = create_app(
        service=SERVICE,
        version=__version__,
        settings=settings,
        readiness=[database_check(engine)],
        lifespan=lifespan,
    )
    app.state.compliance = state
    app.include_router(screening_router)
    app.include_router(lists_router)
    app.include_router(ruleouts_router)
    return app
