"""Name normalisation, scoring and the in-memory candidate index."""
