"""Alembic migrations of the `gw_usdc` schema, shipped inside the package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from storo_gw_usdc import SCHEMA


def config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", "storo_gw_usdc:migrations")
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.attributes["schema"] = SCHEMA
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(config(database_url), revision)
