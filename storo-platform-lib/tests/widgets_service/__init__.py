"""A tiny service package that ships Alembic migrations, as a real service does."""

import sqlalchemy as sa

SCHEMA = "widgets"

metadata = sa.MetaData(schema=SCHEMA)
widgets = sa.Table(
    "widgets",
    metadata,
    sa.Column("id", sa.BigInteger, primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("colour", sa.Text),
)
