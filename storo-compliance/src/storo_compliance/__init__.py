"""Watchlist ingest and sanctions screening for the Storo fleet."""

__version__ = "1.0.0"
