"""Alembic environment: online migrations only, version table inside the schema."""

from __future__ import annotations

from storo_platform.migrations import run_online

from storo_ledger import SCHEMA

run_online(schema=SCHEMA)
