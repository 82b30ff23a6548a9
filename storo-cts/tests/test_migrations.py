"""The migrations: one head, and they build exactly the tables the code uses."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine
from storo_platform.migrations import config

from storo_cts.settings import SCHEMA
from storo_cts.transfers.tables import metadata


def test_the_migrations_have_a_single_head() -> None:
    assert len(ScriptDirectory.from_config(config("storo_cts")).get_heads()) == 1


def _ours(name: Any, type_: str, parent_names: Any) -> bool:
    if type_ == "schema":
        return bool(name == SCHEMA)
    if type_ == "table":
        return f"{SCHEMA}.{name}" in metadata.tables
    return True


def test_the_migrated_schema_matches_the_table_definitions(database: Any) -> None:
    # The role's search path makes cts its default schema, which reflection then
    # reports without a name; with public as the default, every name is qualified.
    engine = sa.create_engine(
        database.url,
        poolclass=sa.pool.NullPool,
        connect_args={"options": "-csearch_path=public"},
    )
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "include_schemas": True,
                "include_name": _ours,
                "version_table_schema": SCHEMA,
            },
        )
        differences = compare_metadata(context, metadata)
    engine.dispose()
    assert differences == []


def test_the_service_role_owns_every_table(admin: Engine) -> None:
    with admin.connect() as conn:
        owners = set(
            conn.exec_driver_sql(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'cts'"
            ).scalars()
        )
    assert owners == {"cts"}
