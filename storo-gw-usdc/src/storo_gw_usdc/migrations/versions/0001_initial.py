"""The gateway's first tables: outbox/inbox, rail transfers, payload references.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID
from storo_outbox import create_tables

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA = "gw_usdc"
STATES = (
    "state in ('rejected', 'signed', 'accepted', 'settled', 'failed',"
    " 'returned', 'unresolved')"
)


def upgrade() -> None:
    create_tables(op, SCHEMA)
    ts = sa.DateTime(timezone=True)
    op.create_table(
        "rail_transfers",
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
        sa.Column("created_at", ts, nullable=False),
        sa.Column("accepted_at", ts),
        sa.Column("finished_at", ts),
        sa.Column("updated_at", ts, nullable=False),
        sa.CheckConstraint(STATES, name="rail_transfers_state"),
        schema=SCHEMA,
    )
    op.create_index(
        "rail_transfers_open",
        "rail_transfers",
        ["state", "updated_at"],
        schema=SCHEMA,
    )
    op.create_table(
        "raw_payloads",
        sa.Column("id", sa.BigInteger, sa.Identity(), primary_key=True),
        sa.Column(
            "transfer_id",
            UUID(as_uuid=True),
            sa.ForeignKey(f"{SCHEMA}.rail_transfers.transfer_id"),
            nullable=False,
        ),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("object_key", sa.Text, nullable=False, unique=True),
        sa.Column("stored_at", ts, nullable=False),
        sa.Column("expires_at", ts, nullable=False),
        schema=SCHEMA,
    )
    op.create_index(
        "raw_payloads_transfer", "raw_payloads", ["transfer_id"], schema=SCHEMA
    )


def downgrade() -> None:
    op.drop_table("raw_payloads", schema=SCHEMA)
    op.drop_table("rail_transfers", schema=SCHEMA)
    from storo_outbox import drop_tables

    drop_tables(op, SCHEMA)
