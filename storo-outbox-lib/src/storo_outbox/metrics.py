"""Prometheus metrics of the outbox relay and the inbox consumer.

They live in prometheus-client's default registry, which is what a service's
``/metrics`` endpoint exposes. Alerts and dashboards rely on these names and labels.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

OUTBOX_BACKLOG = Gauge(
    "storo_outbox_backlog",
    "Outbox events written but not yet published.",
    ["schema"],
)
OUTBOX_OLDEST_PENDING_AGE = Gauge(
    "storo_outbox_oldest_pending_age_seconds",
    "Age of the oldest unpublished outbox event (0 when none is pending).",
    ["schema"],
)
OUTBOX_PUBLISH_SECONDS = Histogram(
    "storo_outbox_publish_seconds",
    "Duration of one SNS PublishBatch call made by the relay.",
    ["schema"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
OUTBOX_PUBLISHED = Counter(
    "storo_outbox_published_total",
    "Outbox events published to SNS.",
    ["schema"],
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "storo_outbox_publish_failures_total",
    "Outbox events whose publication failed and will be retried.",
    ["schema"],
)
CONSUMER_LAG = Gauge(
    "storo_consumer_lag_seconds",
    "Age of the oldest message in the last batch received (0 when the queue was"
    " empty).",
    ["queue"],
)
CONSUMER_MESSAGES = Counter(
    "storo_consumer_messages_total",
    "Messages taken from the inbox queue, by outcome.",
    ["queue", "outcome"],
)

HANDLED = "handled"
RETRIED = "retried"
DEAD_LETTERED = "dead_lettered"
DUPLICATE = "duplicate"
OUTCOMES = (HANDLED, RETRIED, DEAD_LETTERED, DUPLICATE)
