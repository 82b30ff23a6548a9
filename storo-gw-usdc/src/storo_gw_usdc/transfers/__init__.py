"""Storo transfers on this rail: transform, record, submit, follow, report."""
