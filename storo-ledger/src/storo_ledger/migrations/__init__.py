"""Alembic migrations of the ``ledger`` schema, shipped inside the package.

Run with ``storo_platform.migrations.upgrade("storo_ledger", database_url)``.
"""
