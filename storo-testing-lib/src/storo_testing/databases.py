"""A fresh database per test session, with one login role and schema per service.

Roles are cluster-wide and other test runs may share the server, so a role is
created only when missing and a concurrent creation is tolerated. Each service
database gets its own name, so concurrent runs never share one.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import psycopg
from psycopg import sql

from storo_testing.postgres import PostgresServer

_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


@dataclass(frozen=True)
class ServiceDatabase:
    """A database holding one schema owned by the login role of the same name."""

    schema: str
    database: str
    url: str
    """SQLAlchemy URL (``postgresql+psycopg://``) logging in as the service role."""
    admin_url: str
    """SQLAlchemy URL of a superuser on the same database (for assertions only)."""


def ensure_role(conn: psycopg.Connection[tuple[object]], role: str) -> None:
    """Create the login role ``role`` unless it exists (racing runs tolerated)."""
    exists = conn.execute(
        "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (role,)
    ).fetchone()
    if exists is None:
        try:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        except (psycopg.errors.DuplicateObject, psycopg.errors.UniqueViolation):
            # Another run created it between our look and our CREATE.
            return
    elif not exists[0]:
        conn.execute(sql.SQL("ALTER ROLE {} LOGIN").format(sql.Identifier(role)))


def create_service_database(server: PostgresServer, schema: str) -> ServiceDatabase:
    """Create ``storo_test_<schema>_<random>`` with schema and role ``schema``."""
    if not _IDENTIFIER.match(schema):
        raise ValueError(f"{schema!r} is not a lower-case SQL identifier")
    database = f"storo_test_{schema}_{secrets.token_hex(4)}"
    role, db = sql.Identifier(schema), sql.Identifier(database)
    with server.connect() as conn:
        ensure_role(conn, schema)
        conn.execute(sql.SQL("CREATE DATABASE {}").format(db))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(db))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(db, role))
        conn.execute(
            sql.SQL("ALTER ROLE {} IN DATABASE {} SET search_path = {}").format(
                role, db, role
            )
        )
    with server.connect(database) as conn:
        # Nobody but the owner may use the public schema or see other schemas.
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        conn.execute(sql.SQL("CREATE SCHEMA {} AUTHORIZATION {}").format(role, role))
    admin = server.url.set(database=database)
    service = admin.set(username=schema, password=None)
    return ServiceDatabase(
        schema=schema,
        database=database,
        url=service.render_as_string(hide_password=False),
        admin_url=admin.render_as_string(hide_password=False),
    )


def drop_service_database(server: PostgresServer, database: ServiceDatabase) -> None:
    """Drop the database, ending any connection a test left open."""
    with server.connect() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database.database)
            )
        )
