"""Run the Storo fleet on one machine, with or without Docker."""

__version__ = "1.0.0"
