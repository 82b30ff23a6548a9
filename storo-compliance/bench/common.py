"""Shared set-up of the benchmarks: the synthetic list parsed and indexed."""

from __future__ import annotations

import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from synthetic import generate

from storo_compliance.lists.parsers import PARSERS
from storo_compliance.matching.index import IndexedEntry, WatchlistIndex

OUT = HERE / "out" / "ofac_sdn"


def synthetic_index(entries: int = 50_000) -> tuple[WatchlistIndex, float]:
    if not (OUT / "sdn.csv").exists():
        generate(entries, OUT)
    files = {p.name: p.read_bytes() for p in OUT.iterdir() if p.suffix == ".csv"}
    parsed = PARSERS["ofac_sdn"](files)
    started = time.perf_counter()
    index = WatchlistIndex(
        IndexedEntry("ofac_sdn", e, e.fingerprint()) for e in parsed.entries
    )
    return index, time.perf_counter() - started
