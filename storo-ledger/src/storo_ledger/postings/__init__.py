"""Posting rules and the hold lifecycle driven by transfer events."""
