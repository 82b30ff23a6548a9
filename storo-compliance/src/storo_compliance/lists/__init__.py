"""Sanctions lists: parsing the publishers' files, versions, ingest jobs."""
