"""Alembic migrations of the `compliance` schema, shipped in the package."""
