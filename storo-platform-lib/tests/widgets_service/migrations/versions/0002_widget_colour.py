"""widgets.colour (nullable: compatible with the previous release).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("widgets", sa.Column("colour", sa.Text), schema="widgets")


def downgrade() -> None:
    op.drop_column("widgets", "colour", schema="widgets")
