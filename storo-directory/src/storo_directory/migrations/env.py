"""Alembic environment: migrates the `directory` schema, as the `directory` role."""

from storo_outbox import tables as outbox_tables
from storo_platform.migrations import run_online

from storo_directory.catalog.repository import SCHEMA, metadata

run_online(
    schema=SCHEMA,
    # The outbox tables are created by storo_outbox.create_tables inside a
    # migration; naming their metadata here lets `alembic check` see the whole schema.
    metadata=[metadata, outbox_tables(SCHEMA).metadata],
    transaction_per_migration=True,
)
