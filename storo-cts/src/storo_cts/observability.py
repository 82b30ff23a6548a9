"""CTS's own metrics and its logger (the HTTP metrics come from storo_otel)."""

from __future__ import annotations

import structlog
from prometheus_client import Counter

log = structlog.get_logger("storo_cts")

TRANSFERS_CREATED = Counter(
    "storo_cts_transfers_created_total",
    "Transfers created by intake, by the status intake left them in.",
    ["status"],
)
TRANSITIONS = Counter(
    "storo_cts_transfer_transitions_total",
    "Applied status changes of transfers.",
    ["from_status", "to_status"],
)
ANOMALIES = Counter(
    "storo_cts_transfer_anomalies_total",
    "Rail events that contradict a transfer's history (recorded, never applied).",
    ["event_type", "from_status", "to_status"],
)
DEPENDENCY_FAILURES = Counter(
    "storo_cts_dependency_failures_total",
    "Calls to compliance or directory that gave no usable answer.",
    ["dependency", "cause"],
)
UNKNOWN_TRANSFERS = Counter(
    "storo_cts_unknown_transfer_events_total",
    "Rail events naming a transfer CTS does not know (retried, then dead-lettered).",
    ["event_type"],
)
