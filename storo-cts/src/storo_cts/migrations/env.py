"""Alembic environment: migrates the ``cts`` schema over the service's own role."""

from __future__ import annotations

from storo_outbox import tables as outbox_tables
from storo_platform.migrations import run_online

from storo_cts.settings import SCHEMA, get_settings
from storo_cts.transfers.tables import metadata

run_online(
    schema=SCHEMA,
    metadata=metadata,
    # The outbox library owns its three tables; drift checks compare only ours.
    exclude_tables={
        table.name for table in outbox_tables(SCHEMA).metadata.sorted_tables
    },
    database_url=get_settings().database_url,
)
