"""Lists, entries, ingest jobs, screenings, rule-outs and the outbox tables.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from storo_outbox import create_tables, drop_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

S = "compliance"
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "list_versions",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column("list", sa.Text, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("publisher_version", sa.Text),
        sa.Column("published_at", sa.Date),
        sa.Column("loaded_at", TS, nullable=False),
        sa.Column("confirmed_at", TS, nullable=False),
        sa.Column("entry_count", sa.Integer, nullable=False),
        sa.Column("sha256", sa.Text, nullable=False),
        sa.Column("files", pg.JSONB, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        schema=S,
    )
    # At most one live version per list: replacing one is a flip of this flag
    # inside the ingest transaction.
    op.create_index(
        "list_versions_one_active",
        "list_versions",
        ["list"],
        unique=True,
        schema=S,
        postgresql_where=sa.text("active"),
    )
    op.create_table(
        "list_entries",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column(
            "version_id",
            sa.BigInteger,
            sa.ForeignKey(f"{S}.list_versions.id"),
            nullable=False,
        ),
        sa.Column("entry_id", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("primary_name", sa.Text, nullable=False),
        sa.Column("body", pg.JSONB, nullable=False),
        sa.Column("fingerprint", sa.Text, nullable=False),
        schema=S,
    )
    op.create_index(
        "list_entries_version_entry",
        "list_entries",
        ["version_id", "entry_id"],
        unique=True,
        schema=S,
    )
    op.create_table(
        "ingest_jobs",
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
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("finished_at", TS),
        schema=S,
    )
    op.create_table(
        "screenings",
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
        sa.Column("screened_at", TS, nullable=False),
        schema=S,
    )
    op.create_index("screenings_reference", "screenings", ["reference"], schema=S)
    op.create_table(
        "rule_outs",
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("party_key", sa.Text, nullable=False),
        sa.Column("party", pg.JSONB, nullable=False),
        sa.Column("list", sa.Text, nullable=False),
        sa.Column("entry_id", sa.Text, nullable=False),
        sa.Column("entry_fingerprint", sa.Text, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("requested_by", sa.Text, nullable=False),
        sa.Column("requested_at", TS, nullable=False),
        sa.Column("decided_by", sa.Text),
        sa.Column("decided_at", TS),
        sa.Column("expires_at", TS),
        schema=S,
    )
    op.create_index(
        "rule_outs_party_status", "rule_outs", ["party_key", "status"], schema=S
    )
    create_tables(op, S)


def downgrade() -> None:
    drop_tables(op, S)
    for table in (
        "rule_outs",
        "screenings",
        "ingest_jobs",
        "list_entries",
        "list_versions",
    ):
        op.drop_table(table, schema=S)
