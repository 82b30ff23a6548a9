"""The benchmark's own fleet: brought up as `make up` does, on offset ports.

The devstack is driven only through its command line, with its environment pointing
at a home folder, a port offset and a database of the benchmark's own, so a
developer's fleet (and the end-to-end test's) keep running undisturbed beside it.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import psycopg

PORT_OFFSET = 30000
DATABASE = "storo_bench"
DEMO_DEBTOR = "ZA-DEMO-0001"
# The fleet's schemas that relay an outbox; a quiet fleet has nothing pending there.
RELAYING = ("cts", "ledger", "gw_usdc")
INBOXES = ("cts", "ledger", "gw-usdc")
BASE_PORTS = {"cts": 8100, "ledger": 8200, "compliance": 8300, "aws": 4566}


class FleetError(RuntimeError):
    """The devstack could not bring the fleet up (its output says why)."""


@dataclass
class Fleet:
    devstack: Path
    home: Path
    registry: Path
    admin_url: str
    log: Path
    _sqs: Any = field(default=None, repr=False)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "STORO_DEVSTACK_HOME": str(self.home),
            "STORO_DEVSTACK_PORT_OFFSET": str(PORT_OFFSET),
            "STORO_DEVSTACK_DATABASE": DATABASE,
            "STORO_INDEX": str(self.registry),
        }

    def port(self, name: str) -> int:
        return BASE_PORTS[name] + PORT_OFFSET

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port(name)}"

    @property
    def database_url(self) -> str:
        """The fleet's database, as the admin (libpq form)."""
        return with_database(self.admin_url, DATABASE)

    @property
    def wallet(self) -> str:
        return (self.home / "demo-usdc-wallet").read_text().strip()

    def pid(self, process: str) -> int | None:
        path = self.home / "run" / f"{process}.pid"
        return int(path.read_text().split()[0]) if path.exists() else None

    def processes(self) -> dict[str, int]:
        """Every process the devstack started for this fleet, by name."""
        found = {}
        for path in sorted((self.home / "run").glob("*.pid")):
            found[path.stem] = int(path.read_text().split()[0])
        return found

    def venv_python(self, service: str) -> Path:
        return self.home / "venvs" / service / "bin" / "python"

    def command(self, service: str) -> Path:
        return self.home / "venvs" / service / "bin" / f"storo-{service}"

    def up(self) -> float:
        """`devstack up`; returns the seconds it took."""
        started = time.perf_counter()
        self.home.mkdir(parents=True, exist_ok=True)
        self._devstack("up")
        for needed in ("cts", "ledger", "gw-usdc"):
            if self.pid(needed) is None:
                raise FleetError(f"the devstack did not start {needed}; see {self.log}")
        return time.perf_counter() - started

    def reset(self) -> None:
        self._devstack("reset", check=False)

    def _devstack(self, *args: str, check: bool = True) -> None:
        with self.log.open("a") as log:
            log.write(f"\n$ devstack {' '.join(args)}\n")
            log.flush()
            done = subprocess.run(
                [str(self.devstack), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if check and done.returncode != 0:
            tail = self.log.read_text().strip().splitlines()[-15:]
            raise FleetError(f"devstack {args[0]} failed:\n" + "\n".join(tail))

    # --- the emulator ---------------------------------------------------------------

    def client(self, name: str) -> Any:
        # The devstack's fixed credentials for its emulator (no real account).
        return boto3.client(
            name,
            endpoint_url=f"http://127.0.0.1:{self.port('aws')}",
            region_name="af-south-1",
            aws_access_key_id="devstack",
            aws_secret_access_key="devstack",  # noqa: S106
        )

    def _queue_urls(self) -> dict[str, str]:
        if self._sqs is None:
            self._sqs = self.client("sqs")
        urls = self._sqs.list_queues().get("QueueUrls", [])
        wanted = {f"storo-{name}-inbox": name for name in INBOXES}
        return {
            wanted[u.rsplit("/", 1)[1]]: u
            for u in urls
            if u.rsplit("/", 1)[1] in wanted
        }

    def queue_depths(self) -> dict[str, int]:
        depths = {}
        for name, url in self._queue_urls().items():
            attributes = self._sqs.get_queue_attributes(
                QueueUrl=url,
                AttributeNames=[
                    "ApproximateNumberOfMessages",
                    "ApproximateNumberOfMessagesNotVisible",
                ],
            )["Attributes"]
            depths[name] = sum(int(v) for v in attributes.values())
        return depths

    # --- the database ---------------------------------------------------------------

    def query(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def pending_outbox(self) -> dict[str, int]:
        pending = {}
        for schema in RELAYING:
            rows = self.query(
                f"SELECT count(*) FROM {schema}.outbox WHERE published_at IS NULL"
            )
            pending[schema] = int(rows[0][0])
        return pending

    def transfer_count(self) -> int:
        return int(self.query("SELECT count(*) FROM cts.transfers")[0][0])

    def quiesce(self, timeout: float = 90.0) -> dict[str, Any]:
        """Bring the fleet back to rest before the next measurement.

        The intake runs submit thousands of transfers whose settlement nobody waits
        for; left alone, the fleet would work them off during the next measurement
        (and moto slows as its queues fill). Once CTS has published its outbox, the
        downstream inboxes are purged until every outbox and inbox is empty. The
        purged transfers stay `submitted`; the fleet is reset at the end anyway.
        """
        started = time.perf_counter()
        purged = 0
        sqs = self.client("sqs")
        while time.perf_counter() - started < timeout:
            pending = self.pending_outbox()
            depths = self.queue_depths()
            if not any(pending.values()) and not any(depths.values()):
                break
            if pending["cts"] == 0:
                for name, url in self._queue_urls().items():
                    if depths.get(name):
                        try:
                            sqs.purge_queue(QueueUrl=url)
                        except sqs.exceptions.PurgeQueueInProgress:
                            # One purge a minute per queue (SQS's rule, which moto
                            # keeps): the queue's own consumer drains the rest.
                            continue
                        purged += depths[name]
            time.sleep(0.5)
        return {
            "seconds": round(time.perf_counter() - started, 1),
            "messages_purged": purged,
            "pending_after": self.pending_outbox(),
        }


def with_database(url: str, database: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = database
    return psycopg.conninfo.make_conninfo(**info)  # type: ignore[arg-type]


def sqlalchemy_url(libpq_url: str, *, user: str | None = None) -> str:
    """A libpq URL as SQLAlchemy wants it (psycopg 3), optionally as another role."""
    info = psycopg.conninfo.conninfo_to_dict(libpq_url)
    host = info.get("host") or "127.0.0.1"
    port = info.get("port") or 5432
    return (
        f"postgresql+psycopg://{user or info.get('user') or 'postgres'}"
        f"@{host}:{port}/{info.get('dbname')}"
    )
