"""CPU seconds spent by each of the fleet's processes (and the machine) over a step.

On two cores the whole fleet, its database, the emulator and the load generator
share the processor, so "where the time goes" starts with who used the CPU. Read
from /proc: utime + stime of each process the devstack started, of every
PostgreSQL backend (which includes other databases' work on a shared server),
and the machine's busy time.
"""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _process_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    # after the command: state is field 3, utime 14 and stime 15 (1-based)
    return (int(fields[11]) + int(fields[12])) / TICK


def _postgres_seconds() -> float:
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip().startswith("postgres"):
                total += _process_seconds(int(entry.name))
        except OSError:
            continue
    return total


def _machine_busy_seconds() -> float:
    first = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in first]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / TICK


def snapshot(pids: dict[str, int]) -> dict[str, float]:
    seconds = {name: _process_seconds(pid) for name, pid in pids.items()}
    seconds["postgres (all backends)"] = _postgres_seconds()
    seconds["machine (all processes)"] = _machine_busy_seconds()
    return seconds


def difference(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {name: round(after[name] - before.get(name, 0.0), 2) for name in after}
