"""The test package's Alembic environment: what a service's env.py looks like.

The tests vary the keyword arguments through ``config.attributes["run_online"]``.
"""

from alembic import context

from storo_platform.migrations import run_online
from widgets_service import SCHEMA, metadata

run_online(
    schema=SCHEMA, metadata=metadata, **context.config.attributes.get("run_online", {})
)
