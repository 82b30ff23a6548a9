"""Alembic environment: runs against the URL the caller put in the config."""

from __future__ import annotations

from storo_outbox import tables as outbox_tables
from storo_platform.migrations import run_online

from storo_compliance.db import metadata
from storo_compliance.settings import SCHEMA

run_online(
    schema=SCHEMA,
    metadata=metadata,
    # The outbox library owns its tables; drift checks compare only ours.
    exclude_tables={
        table.name for table in outbox_tables(SCHEMA).metadata.sorted_tables
    },
    # Every object is schema-qualified. The role's search_path starts with its own
    # schema, which autogenerate would then see as the unnamed default schema and
    # report as different from the models; "public" keeps `compliance` named.
    search_path="public",
)
