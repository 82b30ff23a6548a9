"""Storo's double-entry ledger: append-only books with a tamper-evident hash chain."""

__version__ = "1.0.0"
SCHEMA = "ledger"
SERVICE = "storo-ledger"
