"""Engine, sessions and the schema's tables (SQL itself lives in repositories)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storo_compliance.settings import SCHEMA

metadata = sa.MetaData(schema=SCHEMA)
_TS = sa.DateTime(timezone=True)

list_versions = sa.Table(
    "list_versions",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column("list", sa.Text, nullable=False),
    sa.Column("version", sa.Text, nullable=False),
    sa.Column("publisher_version", sa.Text),
    sa.Column("published_at", sa.Date),
    sa.Column("loaded_at", _TS, nullable=False),
    sa.Column("confirmed_at", _TS, nullable=False),
    sa.Column("entry_count", sa.Integer, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("files", pg.JSONB, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Index(
        "list_versions_one_active",
        "list",
        unique=True,
        postgresql_where=sa.text("active"),
    ),
)
list_entries = sa.Table(
    "list_entries",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column(
        "version_id", sa.BigInteger, sa.ForeignKey(list_versions.c.id), nullable=False
    ),
    sa.Column("entry_id", sa.Text, nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("primary_name", sa.Text, nullable=False),
    sa.Column("body", pg.JSONB, nullable=False),
    sa.Column("fingerprint", sa.Text, nullable=False),
    sa.Index("list_entries_version_entry", "version_id", "entry_id", unique=True),
)
ingest_jobs = sa.Table(
    "ingest_jobs",
    metadata,
    sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
    sa.Column("list", sa.Text, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("processed", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer),
    sa.Column("error_file", sa.Text),
    sa.Column("error_line", sa.Integer),
    sa.Column("error_reason", sa.Text),
    sa.Column("version_id", sa.BigInteger),
    sa.Column("requested_by", sa.Text),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("updated_at", _TS, nullable=False),
    sa.Column("finished_at", _TS),
)
screenings = sa.Table(
    "screenings",
    metadata,
    sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
    sa.Column("reference", sa.Text),
    sa.Column("party", pg.JSONB, nullable=False),
    sa.Column("decision", sa.Text, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text),
    sa.Column("candidates", pg.JSONB, nullable=False),
    sa.Column("list_versions", pg.JSONB, nullable=False),
    sa.Column("freshness", pg.JSONB, nullable=False),
    sa.Column("config", pg.JSONB, nullable=False),
    sa.Column("screened_at", _TS, nullable=False),
    sa.Index("screenings_reference", "reference"),
)
rule_outs = sa.Table(
    "rule_outs",
    metadata,
    sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
    sa.Column("party_key", sa.Text, nullable=False),
    sa.Column("party", pg.JSONB, nullable=False),
    sa.Column("list", sa.Text, nullable=False),
    sa.Column("entry_id", sa.Text, nullable=False),
    sa.Column("entry_fingerprint", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("status", sa.Text, nullable=False),
    sa.Column("requested_by", sa.Text, nullable=False),
    sa.Column("requested_at", _TS, nullable=False),
    sa.Column("decided_by", sa.Text),
    sa.Column("decided_at", _TS),
    sa.Column("expires_at", _TS),
    sa.Index("rule_outs_party_status", "party_key", "status"),
)


def make_engine(url: str) -> Engine:
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def make_sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with sessions() as session, session.begin():
        yield session
