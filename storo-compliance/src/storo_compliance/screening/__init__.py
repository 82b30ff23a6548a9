"""Screening a party against the loaded lists."""
