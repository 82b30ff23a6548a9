"""The transfer domain's tables (SQLAlchemy Core), all in the ``cts`` schema.

The migrations in ``storo_cts/migrations`` create these; a test compares the two so
they cannot drift.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from storo_cts.settings import SCHEMA

metadata = sa.MetaData(schema=SCHEMA)

STATUSES = (
    "received",
    "screened",
    "held",
    "submitted",
    "accepted",
    "settled",
    "returned",
    "rejected",
    "failed",
)


def _status_check(
    column: str, name: str, *, nullable: bool = False
) -> sa.CheckConstraint:
    values = ", ".join(f"'{s}'" for s in STATUSES)
    rule = f"{column} IN ({values})"
    if nullable:
        rule = f"{column} IS NULL OR {rule}"
    return sa.CheckConstraint(rule, name=name)


transfers = sa.Table(
    "transfers",
    metadata,
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
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    _status_check("status", "transfers_status_check"),
    sa.CheckConstraint("amount_minor > 0", name="transfers_amount_positive"),
    # Cursor pagination walks (created_at, id) newest first; the filtered lists use
    # the same order behind their filter column.
    sa.Index("transfers_created_idx", sa.text("created_at DESC"), sa.text("id DESC")),
    sa.Index(
        "transfers_status_created_idx",
        "status",
        sa.text("created_at DESC"),
        sa.text("id DESC"),
    ),
    sa.Index(
        "transfers_rail_created_idx",
        "rail",
        sa.text("created_at DESC"),
        sa.text("id DESC"),
    ),
)

timeline = sa.Table(
    "transfer_timeline",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=True), primary_key=True),
    sa.Column(
        "transfer_id",
        pg.UUID(as_uuid=True),
        sa.ForeignKey(f"{SCHEMA}.transfers.id"),
        nullable=False,
    ),
    sa.Column("seq", sa.Integer, nullable=False),
    # The event itself: one CTS emitted (status changes, submissions, rejections)
    # or one it consumed from a gateway or recon.
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("v", sa.Integer, nullable=False),
    sa.Column("source", sa.Text, nullable=False),
    sa.Column("time", sa.DateTime(timezone=True), nullable=False),
    sa.Column("direction", sa.Text, nullable=False),
    sa.Column("data", pg.JSONB, nullable=False),
    # The transfer's status after this event.
    sa.Column("status", sa.Text, nullable=False),
    # Consumed events: what the state machine made of them. Status changes: null.
    sa.Column("outcome", sa.Text, nullable=True),
    # Status changes: from and to. Consumed events: the status found and the
    # status the event reported.
    sa.Column("from_status", sa.Text, nullable=True),
    sa.Column("to_status", sa.Text, nullable=True),
    sa.Column("implied", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.UniqueConstraint("transfer_id", "seq", name="transfer_timeline_seq_key"),
    sa.CheckConstraint(
        "direction IN ('emitted', 'consumed')", name="transfer_timeline_direction_check"
    ),
    sa.CheckConstraint(
        "outcome IS NULL OR outcome IN ('applied', 'confirmation', 'late', 'anomaly')",
        name="transfer_timeline_outcome_check",
    ),
    _status_check("status", "transfer_timeline_status_check"),
    _status_check("from_status", "transfer_timeline_from_check", nullable=True),
    _status_check("to_status", "transfer_timeline_to_check", nullable=True),
)

quotes = sa.Table(
    "quotes",
    metadata,
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
    sa.Column("cutoff_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expected_settlement_date", sa.Date, nullable=False),
    # The directory dataset versions the quote was computed from, so a fee can be
    # explained (and recomputed) long after the datasets moved on.
    sa.Column("dataset_versions", pg.JSONB, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
