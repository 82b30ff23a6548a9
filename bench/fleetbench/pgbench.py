"""pgbench, the machine's limit for a given SQL transaction, run in the same session."""

from __future__ import annotations

import glob
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class PgbenchResult:
    tps: float
    latency_ms: float
    clients: int
    seconds: int
    transactions: int
    failed: int

    def as_dict(self) -> dict[str, float | int]:
        return {
            "tps": round(self.tps, 1),
            "mean_latency_ms": self.latency_ms,
            "clients": self.clients,
            "seconds": self.seconds,
            "transactions": self.transactions,
            "failed": self.failed,
        }


def binary() -> str:
    found = shutil.which("pgbench") or next(
        iter(sorted(glob.glob("/usr/lib/postgresql/*/bin/pgbench"), reverse=True)), None
    )
    if not found:
        raise RuntimeError("pgbench not found: install PostgreSQL's client tools")
    return found


def version() -> str:
    done = subprocess.run([binary(), "--version"], capture_output=True, text=True)
    return done.stdout.strip()


def run(
    url: str,
    script: Path,
    *,
    clients: int,
    seconds: int,
    variables: Mapping[str, str] | None = None,
) -> PgbenchResult:
    """Run `script` as a custom pgbench transaction; -n skips pgbench's own tables.

    The extended query protocol with unnamed statements is what psycopg 3 (under
    SQLAlchemy) uses for the services' statements, so pgbench uses it too.
    """
    argv = [binary(), "-n", "-f", str(script), "-c", str(clients)]
    argv += ["-j", str(min(clients, 2)), "-T", str(seconds), "-M", "extended"]
    for name, value in (variables or {}).items():
        argv += ["-D", f"{name}={value}"]
    done = subprocess.run([*argv, url], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pgbench failed: {done.stderr.strip()[-800:]}")
    tps = re.search(r"tps = ([0-9.]+)", done.stdout)
    latency = re.search(r"latency average = ([0-9.]+) ms", done.stdout)
    processed = re.search(
        r"number of transactions actually processed: (\d+)", done.stdout
    )
    failed = re.search(r"number of failed transactions: (\d+)", done.stdout)
    if not (tps and latency and processed):
        raise RuntimeError(f"pgbench said something unexpected:\n{done.stdout}")
    return PgbenchResult(
        tps=float(tps[1]),
        latency_ms=float(latency[1]),
        clients=clients,
        seconds=seconds,
        transactions=int(processed[1]),
        failed=int(failed[1]) if failed else 0,
    )
