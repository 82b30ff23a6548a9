"""Storo's Canonical Transfer Service: the transfer API, orchestration and state."""

__version__ = "1.0.0"
