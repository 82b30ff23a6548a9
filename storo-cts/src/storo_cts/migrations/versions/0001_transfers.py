"""Transfers, their timeline and quotes; the outbox, inbox and idempotency keys.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg
from storo_outbox import create_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "cts"
STATUSES = (
    "'received', 'screened', 'held', 'submitted', 'accepted', 'settled', "
    "'returned', 'rejected', 'failed'"
)


def _ts(name: str, *, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "transfers",
        sa.Column("id", pg.UUID(as_uuid=True), primary_key=True),
        sa.Column("idempotency_key", sa.Text, nullable=False, unique=True),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("rail", sa.Text, nullable=True),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("fee_minor", sa.BigInteger, nullable=True),
        sa.Column("debtor", pg.JSONB, nullable=False),
        sa.Column("creditor", pg.JSONB, nullable=False),
        sa.Column("reference", sa.Text, nullable=False),
        sa.Column("purpose", sa.Text, nullable=True),
        sa.Column("metadata", pg.JSONB, nullable=False),
        sa.Column("screening", pg.JSONB, nullable=True),
        sa.Column("quote_id", sa.Text, nullable=True),
        sa.Column("rail_reference", sa.Text, nullable=True),
        sa.Column("rejection_stage", sa.Text, nullable=True),
        sa.Column("reason_code", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        _ts("created_at"),
        _ts("updated_at"),
        sa.CheckConstraint(f"status IN ({STATUSES})", name="transfers_status_check"),
        sa.CheckConstraint("amount_minor > 0", name="transfers_amount_positive"),
        schema=SCHEMA,
    )
    op.create_index(
        "transfers_created_idx",
        "transfers",
        [sa.text("created_at DESC"), sa.text("id DESC")],
        schema=SCHEMA,
    )
    for column in ("status", "rail"):
        op.create_index(
            f"transfers_{column}_created_idx",
            "transfers",
            [column, sa.text("created_at DESC"), sa.text("id DESC")],
            schema=SCHEMA,
        )

    op.create_table(
        "transfer_timeline",
        sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
        sa.Column(
            "transfer_id",
            pg.UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.transfers.id"),
            nullable=False,
        ),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("v", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        _ts("time"),
        sa.Column("direction", sa.Text, nullable=False),
        sa.Column("data", pg.JSONB, nullable=False),
        sa.Column("status", sa.Text, nullable=False),
        sa.Column("outcome", sa.Text, nullable=True),
        sa.Column("from_status", sa.Text, nullable=True),
        sa.Column("to_status", sa.Text, nullable=True),
        sa.Column("implied", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("transfer_id", "seq", name="transfer_timeline_seq_key"),
        sa.CheckConstraint(
            "direction IN ('emitted', 'consumed')",
            name="transfer_timeline_direction_check",
        ),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN "
            "('applied', 'confirmation', 'late', 'anomaly')",
            name="transfer_timeline_outcome_check",
        ),
        sa.CheckConstraint(
            f"status IN ({STATUSES})", name="transfer_timeline_status_check"
        ),
        sa.CheckConstraint(
            f"from_status IS NULL OR from_status IN ({STATUSES})",
            name="transfer_timeline_from_check",
        ),
        sa.CheckConstraint(
            f"to_status IS NULL OR to_status IN ({STATUSES})",
            name="transfer_timeline_to_check",
        ),
        schema=SCHEMA,
    )

    op.create_table(
        "quotes",
        sa.Column("quote_id", sa.Text, nullable=False),
        # One quote per transfer; a quote id is directory's and is not assumed unique
        # across transfers (a directory may hand the same quote to two requests).
        sa.Column(
            "transfer_id",
            pg.UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.transfers.id"),
            primary_key=True,
        ),
        sa.Column("currency", sa.Text, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("fee_minor", sa.BigInteger, nullable=False),
        sa.Column("total_minor", sa.BigInteger, nullable=False),
        sa.Column("rail", sa.Text, nullable=False),
        sa.Column("rail_reason", sa.Text, nullable=True),
        sa.Column("settlement_window", sa.Text, nullable=False),
        _ts("cutoff_at"),
        sa.Column("expected_settlement_date", sa.Date, nullable=False),
        sa.Column("dataset_versions", pg.JSONB, nullable=False),
        _ts("created_at"),
        schema=SCHEMA,
    )

    create_tables(op, SCHEMA)


def downgrade() -> None:
    for table in ("idempotency_keys", "inbox", "outbox"):
        op.drop_table(table, schema=SCHEMA)
    op.drop_table("quotes", schema=SCHEMA)
    op.drop_table("transfer_timeline", schema=SCHEMA)
    op.drop_table("transfers", schema=SCHEMA)
