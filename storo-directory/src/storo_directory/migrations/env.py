"""Alembic environment: migrates the `directory` schema, as the `directory` role."""

from alembic import context
from sqlalchemy import Connection, create_engine
from storo_outbox import tables as outbox_tables

from storo_directory.catalog.repository import SCHEMA, metadata

config = context.config
# The outbox tables are created by storo_outbox.create_tables inside a migration;
# naming their metadata here lets `alembic check` see the whole schema.
target_metadata = [metadata, outbox_tables(SCHEMA).outbox.metadata]


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table_schema=SCHEMA,
        include_schemas=True,
        include_name=lambda name, type_, _parent: type_ != "schema" or name == SCHEMA,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported: run against a database")
run_migrations_online()
