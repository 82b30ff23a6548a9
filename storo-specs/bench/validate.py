"""How many envelopes per second `validate_event` checks (not a test: a measurement).

.venv/bin/python bench/validate.py [N]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import storo_specs

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "events" / "valid"


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    names = ["transfers.submitted.usdc", "transfers.settled", "ledger.entry.posted"]
    for path in [FIXTURES / f"{name}.json" for name in names]:
        envelope = json.loads(path.read_text())
        storo_specs.validate_event(envelope)  # warm the validator cache
        start = time.perf_counter()
        for _ in range(n):
            storo_specs.validate_event(envelope)
        rate = n / (time.perf_counter() - start)
        print(f"{path.stem:40} {rate:8.0f} envelopes/s")


if __name__ == "__main__":
    main()
