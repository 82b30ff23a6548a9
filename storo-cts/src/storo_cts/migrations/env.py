"""Alembic environment: migrates the ``cts`` schema over the service's own role."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from storo_cts.settings import SCHEMA, get_settings
from storo_cts.transfers.tables import metadata

config = context.config


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    if not url:
        raise SystemExit("set STORO_CTS_DATABASE_URL")
    return url


def run_migrations_online() -> None:
    engine = sa.create_engine(_url(), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        # Short lock and statement timeouts: a migration that waits behind live
        # traffic fails fast instead of stalling every request queued behind it.
        connection.exec_driver_sql("SET lock_timeout = '5s'")
        connection.exec_driver_sql("SET statement_timeout = '60s'")
        # The SETs opened a transaction; close it so that Alembic's own transaction
        # (below) is the one that commits the migration.
        connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=SCHEMA,
            include_schemas=True,
            include_name=_include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


def _include_name(name: str | None, type_: str, parent_names: object) -> bool:
    # Only our schema, and only our tables: the outbox library owns its three.
    if type_ == "schema":
        return name == SCHEMA
    if type_ == "table":
        return name in metadata.tables or f"{SCHEMA}.{name}" in metadata.tables
    return True


run_migrations_online()
