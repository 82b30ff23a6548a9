"""Percentiles and rates from raw samples; no smoothing, no dropped outliers."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) by the nearest-rank method."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(latencies_s: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(latencies_s, 50) * 1000, 2),
        "p99_ms": round(percentile(latencies_s, 99) * 1000, 2),
        "p99_9_ms": round(percentile(latencies_s, 99.9) * 1000, 2),
        "max_ms": round(max(latencies_s) * 1000, 2) if latencies_s else math.nan,
    }


def per_second(starts: Sequence[float]) -> list[int]:
    """How many requests started in each whole second of the run."""
    if not starts:
        return []
    first = min(starts)
    buckets = [0] * (int(max(starts) - first) + 1)
    for start in starts:
        buckets[int(start - first)] += 1
    return buckets


def ratio(value: float, reference: float) -> float:
    return round(value / reference, 3) if reference else math.nan
