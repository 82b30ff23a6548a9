"""Alembic environment: online migrations only, versions kept in our schema."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from storo_gw_usdc import SCHEMA
from storo_gw_usdc.tables import metadata

config = context.config


def run() -> None:
    engine = sa.create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as connection:
        # Bounded waits: a migration queued behind a long lock must fail fast
        # rather than stall the service's traffic behind it.
        connection.execute(sa.text("SET lock_timeout = '5s'"))
        connection.execute(sa.text("SET statement_timeout = '60s'"))
        # The schema normally exists already, owned by the service's role (which
        # may not create schemas); create it only where it is missing.
        present = connection.execute(
            sa.text("select 1 from pg_namespace where nspname = :s"), {"s": SCHEMA}
        ).first()
        if present is None:
            connection.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
        connection.commit()
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=SCHEMA,
            include_schemas=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run()
