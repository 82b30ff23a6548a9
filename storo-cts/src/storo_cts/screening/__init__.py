"""Screening of parties through storo-compliance."""
