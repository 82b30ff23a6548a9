"""The HTTP app: the fleet's standard endpoints plus the rail-transfer view."""

from __future__ import annotations

from functools import cache

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from storo_otel import create_app, database_check, queue_check

from storo_gw_usdc import SERVICE, __version__, runtime
from storo_gw_usdc.settings import GatewaySettings
from storo_gw_usdc.transfers import metrics
from storo_gw_usdc.transfers.api import router

# The series are registered at import so /metrics names them from the start.
_SERIES = metrics


def build(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()

    @cache
    def engine() -> Engine:
        return runtime.engine(settings)

    checks = []
    if settings.database_url:
        checks.append(database_check(engine()))
    if settings.inbox_queue_url:
        checks.append(
            queue_check(runtime.aws(settings, "sqs"), settings.inbox_queue_url)
        )
    app = create_app(
        service=SERVICE, version=__version__, settings=settings, readiness=checks
    )
    app.include_router(router(engine))
    return app
