"""widgets, and the session settings the migration ran under.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "widgets",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        schema="widgets",
    )
    # Not part of the models: the tests read the settings back from here.
    op.execute(
        "CREATE TABLE widgets.session_seen AS SELECT"
        " current_setting('lock_timeout') AS lock_timeout,"
        " current_setting('statement_timeout') AS statement_timeout,"
        " current_setting('search_path') AS search_path"
    )


def downgrade() -> None:
    op.drop_table("session_seen", schema="widgets")
    op.drop_table("widgets", schema="widgets")
