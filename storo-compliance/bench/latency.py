"""Latency of one screening against the synthetic list (50,000 entries).

Builds the index from the synthetic OFAC SDN CSV set, then screens a mix of
listed-name variants and unlisted common names one at a time and prints p50,
p95, p99 and max of the in-process screening (normalise, block, score, explain,
decide).

    python bench/latency.py [--queries 3000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from common import synthetic_index
from names import common_name

from storo_compliance.matching.config import MatchConfig
from storo_compliance.matching.index import Query
from storo_compliance.screening.decision import decide


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=3000)
    args = parser.parse_args()
    rng = random.Random(7)
    index, build_seconds = synthetic_index()
    config = MatchConfig()
    queries: list[Query] = []
    for i in range(args.queries):
        if i % 2:
            entry = rng.choice(index.entries).entry
            queries.append(Query(entry.primary_name, "individual", "IQ"))
        else:
            queries.append(Query(" ".join(common_name(rng)), "individual", "ZA"))
    for query in queries[:50]:  # warm caches the way a running service has them
        decide(index.screen(query, config), config)
    timings = []
    cpu = []
    for query in queries:
        started, started_cpu = time.perf_counter(), time.thread_time()
        decide(index.screen(query, config), config)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    timings.sort()
    cpu.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))]

    print(
        f"index: {len(index.entries)} entries, {index.name_count} names, "
        f"built in {build_seconds:.1f} s"
    )
    print(
        f"{len(timings)} screenings: mean {statistics.mean(timings):.2f} ms, "
        f"p50 {pct(0.50):.2f} ms, p95 {pct(0.95):.2f} ms, "
        f"p99 {pct(0.99):.2f} ms, max {timings[-1]:.2f} ms (wall clock)"
    )
    # CPU time of the screening thread: what the figure is on an idle machine.
    timings = cpu
    print(
        f"{len(timings)} screenings: mean {statistics.mean(timings):.2f} ms, "
        f"p50 {pct(0.50):.2f} ms, p95 {pct(0.95):.2f} ms, "
        f"p99 {pct(0.99):.2f} ms, max {timings[-1]:.2f} ms (thread CPU time)"
    )


if __name__ == "__main__":
    main()
