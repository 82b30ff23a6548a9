"""Alembic migrations of the ``ledger`` schema, shipped inside the package."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config


def config(database_url: str) -> Config:
    here = resources.files("storo_ledger.migrations")
    cfg = Config()
    cfg.set_main_option("script_location", str(here))
    # ConfigParser interpolation would choke on a '%' in a password
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(config(database_url), revision)
