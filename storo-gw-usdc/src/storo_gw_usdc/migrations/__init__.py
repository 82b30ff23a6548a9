"""Alembic migrations of the `gw_usdc` schema, shipped inside the package.

Run with ``storo_platform.migrations.upgrade("storo_gw_usdc", database_url)``.
"""
