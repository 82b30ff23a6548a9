"""Prometheus metrics of the ledger, observed only once their transaction commits."""

from __future__ import annotations

from typing import Any

from prometheus_client import Counter, Histogram
from sqlalchemy import event
from sqlalchemy.orm import Session

POSTING_LATENCY = Histogram(
    "storo_ledger_posting_latency_seconds",
    "Time from the source event's `time` to the entry being posted.",
    ["kind"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)
ENTRIES_POSTED = Counter(
    "storo_ledger_entries_posted_total", "Journal entries written.", ["kind"]
)
POSTINGS_REFUSED = Counter(
    "storo_ledger_postings_refused_total",
    "Events the ledger refused to book (raised as ledger.posting.refused).",
    ["reason_code"],
)

# every kind is exported from the start, so dashboards and alerts see zeros rather
# than missing series
for _kind in ("hold", "post", "void", "reverse", "expire"):
    POSTING_LATENCY.labels(_kind)
    ENTRIES_POSTED.labels(_kind)

_KEY = "storo_ledger.metrics"


def defer(session: Session, observation: tuple[Any, ...]) -> None:
    session.info.setdefault(_KEY, []).append(observation)


@event.listens_for(Session, "after_commit")
def _flush(session: Session) -> None:
    for name, label, value in session.info.pop(_KEY, []):
        if name == "posted":
            ENTRIES_POSTED.labels(label).inc()
            if value is not None:
                POSTING_LATENCY.labels(label).observe(max(value, 0.0))
        elif name == "refused":
            POSTINGS_REFUSED.labels(label).inc()


@event.listens_for(Session, "after_rollback")
def _discard(session: Session) -> None:
    session.info.pop(_KEY, None)
