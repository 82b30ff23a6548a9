"""Alembic environment: online migrations only, versions kept in our schema."""

from __future__ import annotations

from storo_platform.migrations import run_online

from storo_gw_usdc import SCHEMA
from storo_gw_usdc.tables import metadata

run_online(schema=SCHEMA, metadata=metadata)
