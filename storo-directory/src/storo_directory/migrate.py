"""Running the Alembic migrations shipped inside the package."""

from importlib.resources import files

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection


def alembic_config(
    url: str | None = None, connection: Connection | None = None
) -> Config:
    config = Config()
    config.set_main_option(
        "script_location", str(files("storo_directory") / "migrations")
    )
    if url is not None:
        # ConfigParser interpolation would read a % in a password as a reference.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
