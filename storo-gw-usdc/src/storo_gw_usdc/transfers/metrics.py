"""The gateway's Prometheus metrics (names are relied on by dashboards)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

SUBMITTED = Counter(
    "storo_gw_usdc_transactions_submitted",
    "Signed asset transfers algod accepted (first broadcasts and rebroadcasts).",
    ["rebroadcast"],
)
CONFIRMED = Counter(
    "storo_gw_usdc_transactions_confirmed",
    "Asset transfers confirmed in a block.",
)
FAILED = Counter(
    "storo_gw_usdc_transactions_failed",
    "Transfers that did not settle, by outcome (rejected/failed/returned) and reason.",
    ["outcome", "reason_code"],
)
TIME_TO_CONFIRM = Histogram(
    "storo_gw_usdc_time_to_confirm_seconds",
    "From algod accepting a transaction to the gateway seeing it confirmed.",
    buckets=(1, 2.5, 5, 7.5, 10, 15, 20, 30, 60, 120, 300),
)
