"""The engine: the service's own role, a bounded pool, no per-request setup."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storo_cts.settings import CtsSettings


class DatabaseNotConfigured(RuntimeError):
    """STORO_CTS_DATABASE_URL is not set."""


def make_engine(settings: CtsSettings) -> Engine:
    if not settings.database_url:
        raise DatabaseNotConfigured("set STORO_CTS_DATABASE_URL")
    return sa.create_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_recycle=1800,
        # Every statement names its schema; the search path stays out of it.
        connect_args={"application_name": "storo-cts"},
    )
