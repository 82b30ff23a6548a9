"""The outbox, inbox and idempotency-key tables, in a service's own schema.

A service calls :func:`create_tables` from one of its Alembic migrations, so the three
tables are migrated with the rest of its schema and owned by its login role.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg


@dataclass(frozen=True)
class Tables:
    """The SQLAlchemy tables of one schema, sharing one ``metadata``."""

    metadata: sa.MetaData
    outbox: sa.Table
    inbox: sa.Table
    idempotency_keys: sa.Table


def _outbox(metadata: sa.MetaData, schema: str) -> sa.Table:
    return sa.Table(
        "outbox",
        metadata,
        # The identity gives the commit-independent order in which a subject's events
        # were written; the relay never publishes a subject's event before an earlier
        # one of the same subject.
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("event_id", pg.UUID(as_uuid=True), nullable=False, unique=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("envelope", pg.JSONB, nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column(
            "next_attempt_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index(
            "outbox_pending_idx",
            "id",
            postgresql_where=sa.text("published_at IS NULL"),
        ),
        sa.Index(
            "outbox_pending_subject_idx",
            "subject",
            "id",
            postgresql_where=sa.text("published_at IS NULL"),
        ),
        sa.Index(
            "outbox_published_idx",
            "published_at",
            postgresql_where=sa.text("published_at IS NOT NULL"),
        ),
        schema=schema,
    )


def _inbox(metadata: sa.MetaData, schema: str) -> sa.Table:
    return sa.Table(
        "inbox",
        metadata,
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=True),
        sa.Column(
            "handled_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Index("inbox_handled_at_idx", "handled_at"),
        schema=schema,
    )


def _idempotency_keys(metadata: sa.MetaData, schema: str) -> sa.Table:
    return sa.Table(
        "idempotency_keys",
        metadata,
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        # NULL until the first request's response is stored with it.
        sa.Column("status", sa.Integer, nullable=True),
        sa.Column("response_body", pg.JSONB, nullable=True),
        sa.Column("response_headers", pg.JSONB, nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.func.now(),
        ),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Index("idempotency_keys_created_at_idx", "created_at"),
        schema=schema,
    )


@cache
def tables(schema: str) -> Tables:
    """Return the ``outbox``, ``inbox`` and ``idempotency_keys`` tables of ``schema``.

    The result is cached per schema, so every caller shares one ``MetaData``.
    """
    metadata = sa.MetaData()
    return Tables(
        metadata=metadata,
        outbox=_outbox(metadata, schema),
        inbox=_inbox(metadata, schema),
        idempotency_keys=_idempotency_keys(metadata, schema),
    )


def create_tables(op: Any, schema: str) -> None:
    """Create the three tables in ``schema`` from inside an Alembic migration.

    ``op`` is ``alembic.op`` (typed loosely so this library needs no Alembic import).
    The tables are created through the migration's connection, in its transaction.
    """
    tables(schema).metadata.create_all(op.get_bind())


def drop_tables(op: Any, schema: str) -> None:
    """Drop the three tables, for a migration's ``downgrade``."""
    tables(schema).metadata.drop_all(op.get_bind())
