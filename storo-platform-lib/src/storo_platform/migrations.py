"""Alembic plumbing shared by every service: run the migrations a package ships.

A service keeps its revisions in ``<package>/migrations`` (with an ``env.py`` that
calls :func:`run_online`) and its ``migrate`` command calls :func:`upgrade`. Needs
the ``migrations`` extra (alembic and SQLAlchemy), which services install and other
users of this library do not.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from importlib.resources import files
from typing import Any

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

__all__ = ["OFFLINE_REFUSED", "config", "run_online", "upgrade"]

OFFLINE_REFUSED = "offline migrations are not supported: run against a database"


def config(
    package: str,
    database_url: str | None = None,
    *,
    connection: sa.Connection | None = None,
) -> Config:
    """The Alembic configuration of the ``migrations`` folder ``package`` ships.

    ``connection``, when given, is the one :func:`run_online` migrates over (for
    tests and checks that set up the session themselves); otherwise it connects to
    ``database_url``.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(files(package) / "migrations"))
    if database_url is not None:
        # Config is a ConfigParser: a '%' (an escaped password) would be read as
        # the start of an interpolation.
        cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def upgrade(package: str, database_url: str, revision: str = "head") -> None:
    """Upgrade the database to ``revision`` of the migrations ``package`` ships."""
    command.upgrade(config(package, database_url), revision)


def run_online(
    *,
    schema: str,
    metadata: sa.MetaData | Sequence[sa.MetaData] | None = None,
    exclude_tables: Collection[str] = (),
    database_url: str | None = None,
    search_path: str | None = None,
    lock_timeout: str = "5s",
    statement_timeout: str = "60s",
    transaction_per_migration: bool = False,
) -> None:
    """Run the migrations from a service's ``env.py``, over one connection.

    - The version table lives in ``schema``; autogenerate and ``alembic check``
      look at ``schema`` only (``include_schemas``), comparing it with
      ``metadata`` and ignoring the tables named in ``exclude_tables`` (such as
      the outbox library's, when they are not in ``metadata``).
    - Bounded waits: ``lock_timeout`` and ``statement_timeout`` are set on the
      session, so a migration queued behind live traffic fails fast instead of
      stalling every request queued behind its lock.
    - ``schema`` is created only where it is missing: normally it exists, owned
      by the service's role, which may not be allowed to create schemas.
    - ``search_path`` sets the session's path (e.g. ``"public"``): with the role's
      default path the service's schema is the unnamed default, which
      autogenerate would then report as different from schema-qualified models.
    - The URL is the config's ``sqlalchemy.url``, else ``database_url``; a
      connection put in ``config.attributes["connection"]`` is used as it is
      (its owner chose its session settings and commits it).
    """
    if context.is_offline_mode():
        raise SystemExit(OFFLINE_REFUSED)
    cfg = context.config
    options = {
        "target_metadata": metadata,
        "version_table_schema": schema,
        "include_schemas": True,
        "include_name": _only_schema(schema),
        "include_object": _without_tables(frozenset(exclude_tables)),
        "transaction_per_migration": transaction_per_migration,
    }
    given: sa.Connection | None = cfg.attributes.get("connection")
    if given is not None:
        _migrate(given, options)
        return
    url = cfg.get_main_option("sqlalchemy.url") or database_url
    if not url:
        raise SystemExit("no database URL: set sqlalchemy.url or pass database_url")
    connect_args = {"options": f"-csearch_path={search_path}"} if search_path else {}
    engine = sa.create_engine(
        url, poolclass=sa.pool.NullPool, connect_args=connect_args
    )
    try:
        with engine.connect() as connection:
            _prepare(connection, schema, lock_timeout, statement_timeout)
            _migrate(connection, options)
    finally:
        engine.dispose()


def _prepare(
    connection: sa.Connection, schema: str, lock_timeout: str, statement_timeout: str
) -> None:
    # SET with bound values: set_config(..., false) is SET at session level, so
    # the bounded waits outlast the commit below.
    for name, value in (
        ("lock_timeout", lock_timeout),
        ("statement_timeout", statement_timeout),
    ):
        connection.execute(
            sa.text("SELECT set_config(:name, :value, false)"),
            {"name": name, "value": value},
        )
    present = connection.execute(
        sa.text("SELECT 1 FROM pg_namespace WHERE nspname = :s"), {"s": schema}
    ).first()
    if present is None:
        quoted = connection.dialect.identifier_preparer.quote_identifier(schema)
        connection.execute(sa.text(f"CREATE SCHEMA {quoted}"))
    # Close the transaction the statements above opened, so that Alembic's own
    # transaction is the one that commits the migration.
    connection.commit()


def _migrate(connection: sa.Connection, options: dict[str, Any]) -> None:
    context.configure(connection=connection, **options)
    with context.begin_transaction():
        context.run_migrations()


def _only_schema(schema: str) -> Any:
    def include_name(name: str | None, type_: str, parent_names: object) -> bool:
        return type_ != "schema" or name == schema

    return include_name


def _without_tables(excluded: frozenset[str]) -> Any:
    def include_object(
        obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
    ) -> bool:
        return not (type_ == "table" and name in excluded)

    return include_object
