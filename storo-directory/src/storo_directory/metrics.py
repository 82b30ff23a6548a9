"""The directory's own Prometheus metrics (names namespaced `storo_directory_`)."""

from prometheus_client import Counter

QUOTES = Counter(
    "storo_directory_quotes",
    "Quotes answered, by rail chosen (or 'none') and outcome",
    ["rail", "outcome"],
)
# Reads of PostgreSQL by the dataset cache: a steady rate above one per TTL means
# versions are being evicted or pinned to unknown names.
CATALOG_READS = Counter(
    "storo_directory_catalog_reads",
    "Database reads made by the in-memory dataset catalog",
    ["kind"],
)
