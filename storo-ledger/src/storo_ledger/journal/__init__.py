"""Journal entries and lines: append-only, balanced, hash-chained."""
