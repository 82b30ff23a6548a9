"""Dataset versions (immutable), and the outbox tables.

Revision ID: 0001
Revises:
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from storo_outbox import create_tables, drop_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "directory"


def upgrade() -> None:
    # Fail fast instead of queueing behind a long lock on a live database.
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.execute("SET LOCAL statement_timeout = '60s'")
    op.create_table(
        "dataset_versions",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column("dataset", sa.Text, nullable=False),
        sa.Column("version", sa.Text, nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_count", sa.Integer, nullable=False),
        sa.Column("sha256", sa.CHAR(64), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("published_by", sa.Text),
        sa.Column("records", pg.JSONB, nullable=False),
        sa.UniqueConstraint(
            "dataset", "version", name="dataset_versions_dataset_version_key"
        ),
        sa.CheckConstraint(
            "dataset IN ('institutions', 'bins', 'fees', 'settlement_windows')",
            name="dataset_versions_dataset_check",
        ),
        sa.CheckConstraint(
            "record_count = jsonb_array_length(records)",
            name="dataset_versions_record_count_check",
        ),
        schema=SCHEMA,
    )
    # A published version is immutable: the database refuses to change or remove
    # one, whoever asks (TRUNCATE included).
    op.execute(
        f"""
        CREATE FUNCTION {SCHEMA}.refuse_dataset_version_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          RAISE EXCEPTION 'dataset versions are immutable (% refused)', TG_OP
            USING ERRCODE = 'restrict_violation';
        END $$
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER dataset_versions_immutable
        BEFORE UPDATE OR DELETE ON {SCHEMA}.dataset_versions
        FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.refuse_dataset_version_change()
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER dataset_versions_no_truncate
        BEFORE TRUNCATE ON {SCHEMA}.dataset_versions
        FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.refuse_dataset_version_change()
        """
    )
    create_tables(op, SCHEMA)


def downgrade() -> None:
    drop_tables(op, SCHEMA)
    op.drop_table("dataset_versions", schema=SCHEMA)
    op.execute(f"DROP FUNCTION {SCHEMA}.refuse_dataset_version_change()")
