"""Alembic environment: runs against the URL the caller put in the config."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from storo_compliance.db import metadata
from storo_compliance.settings import SCHEMA

config = context.config


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    # Every object is schema-qualified. The role's search_path usually starts
    # with its own schema, which autogenerate would then see as the unnamed
    # default schema and report as different from the models; "public" as the
    # session's path keeps `compliance` a named schema.
    engine = create_engine(url, connect_args={"options": "-csearch_path=public"})
    with engine.begin() as connection:
        # Short lock and statement timeouts: a migration that would queue behind
        # live traffic fails fast instead of blocking the service.
        connection.execute(text("SET lock_timeout = '5s'"))
        connection.execute(text("SET statement_timeout = '60s'"))
        context.configure(
            connection=connection,
            target_metadata=metadata,
            version_table_schema=SCHEMA,
            include_schemas=True,
            include_name=lambda name, type_, parent: (
                type_ != "schema" or name == SCHEMA
            ),
            include_object=lambda obj, name, type_, reflected, compare_to: (
                name not in {"outbox", "inbox", "idempotency_keys"}
            ),
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
