"""Alembic environment: online migrations only, version table inside the schema."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from storo_ledger import SCHEMA

url = context.config.get_main_option("sqlalchemy.url")
if not url:
    raise RuntimeError("sqlalchemy.url is not set: pass the database URL to migrate")

engine = create_engine(url)
with engine.connect() as connection:
    # fail fast instead of queueing behind a long transaction on a live database
    connection.execute(text("SET lock_timeout = '5s'"))
    connection.execute(text("SET statement_timeout = '60s'"))
    connection.commit()
    context.configure(
        connection=connection,
        version_table_schema=SCHEMA,
        include_schemas=True,
    )
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
