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


def percentile_with_missing(
    values: Sequence[float], missing: int, q: float
) -> float | None:
    """The q-th percentile when ``missing`` samples never finished (count as +inf).

    None when the rank falls among the unfinished: that percentile is not reached.
    """
    total = len(values) + missing
    if not total:
        return None
    rank = max(1, math.ceil(q / 100 * total))
    ordered = sorted(values)
    return ordered[rank - 1] if rank <= len(ordered) else None


def per_second(times: Sequence[float], origin: float | None = None) -> list[int]:
    """How many events fell in each whole second from ``origin`` (or the first)."""
    if not times:
        return []
    first = min(times) if origin is None else origin
    buckets = [0] * (int(max(times) - first) + 1)
    for moment in times:
        if moment >= first:
            buckets[int(moment - first)] += 1
    return buckets


def ratio(value: float, reference: float) -> float:
    return round(value / reference, 3) if reference else math.nan
