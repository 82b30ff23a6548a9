"""The gateway's own tables (the outbox/inbox tables come from storo_outbox)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import UUID

from storo_gw_usdc import SCHEMA

metadata = sa.MetaData(schema=SCHEMA)

# One row per Storo transfer this gateway has seen. A row in state `signed` is a
# transaction recorded before it is sent: whoever finds it sends exactly those
# bytes (their txid is fixed), so a crash after sending can only rebroadcast.
rail_transfers = sa.Table(
    "rail_transfers",
    metadata,
    sa.Column("transfer_id", UUID(as_uuid=True), primary_key=True),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("state", sa.Text, nullable=False),
    sa.Column("amount_minor", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.Text, nullable=False),
    sa.Column("asset_id", sa.BigInteger),
    sa.Column("sender", sa.Text),
    sa.Column("receiver", sa.Text),
    sa.Column("txid", sa.Text, unique=True),
    sa.Column("first_valid", sa.BigInteger),
    sa.Column("last_valid", sa.BigInteger),
    sa.Column("signed_ref", sa.Text),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("confirmed_round", sa.BigInteger),
    sa.Column("reason_code", sa.Text),
    sa.Column("reason", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("accepted_at", sa.DateTime(timezone=True)),
    sa.Column("finished_at", sa.DateTime(timezone=True)),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
        "state in ('rejected', 'signed', 'accepted', 'settled', 'failed',"
        " 'returned', 'unresolved')",
        name="rail_transfers_state",
    ),
)
sa.Index("rail_transfers_open", rail_transfers.c.state, rail_transfers.c.updated_at)

# Where each raw rail payload lives (S3 key of the encrypted object) and when it
# expires; the payload itself never enters the database.
raw_payloads = sa.Table(
    "raw_payloads",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
    sa.Column(
        "transfer_id",
        UUID(as_uuid=True),
        sa.ForeignKey(rail_transfers.c.transfer_id),
        nullable=False,
    ),
    sa.Column("kind", sa.Text, nullable=False),
    sa.Column("object_key", sa.Text, nullable=False, unique=True),
    sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
)
sa.Index("raw_payloads_transfer", raw_payloads.c.transfer_id)
