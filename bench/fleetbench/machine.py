"""What the figures were measured on: they mean little without it."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from pathlib import Path
from typing import Any

import psycopg

from fleetbench import pgbench


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_bytes() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) * 1024
    return 0


def _moto_version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import moto; print(moto.__version__)"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or "unknown"


def releases(registry: Path) -> dict[str, str]:
    """The wheels in the fleet's index the run installed from, with a digest.

    Releases are rebuilt in place while the fleet is being finished, so the
    version number alone does not say which code was measured.
    """
    found = {}
    for wheel in sorted(registry.glob("storo_*.whl")):
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()[:12]
        found[wheel.name] = f"sha256:{digest}"
    return found


def describe(admin_url: str, devstack: Path) -> dict[str, Any]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        server = conn.execute("SHOW server_version").fetchone()
        settings = dict(
            conn.execute(
                "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name"
                " IN ('shared_buffers', 'synchronous_commit', 'max_connections',"
                " 'wal_level', 'fsync')"
            ).fetchall()
        )
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(_ram_bytes() / 2**30, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "postgresql": server[0] if server else "unknown",
        "postgresql_settings": settings,
        "pgbench": pgbench.version(),
        # moto runs from the devstack's own environment, the one `make up` uses.
        "moto": _moto_version(devstack.parent / "python"),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
