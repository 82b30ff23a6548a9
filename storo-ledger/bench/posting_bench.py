"""Posting throughput: the service's own posting path beside pgbench running its SQL.

Both run against one fresh database on the local PostgreSQL, with the same clients,
the same accounts (1,000 customers and the two hot accounts every posting touches)
and the same duration. It prints postings per second of each and their ratio; the
gap is what Python, SQLAlchemy and the outbox envelope cost on top of the SQL.

    python bench/posting_bench.py [--clients 8] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import subprocess
import threading
import time
import uuid
from pathlib import Path

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.engine import make_url
from storo_outbox import tables
from storo_testing import create_service_database, find_or_start
from storo_testing.databases import drop_service_database

from storo_ledger import SCHEMA
from storo_ledger.accounts import chart
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.journal import service as journal
from storo_ledger.journal.lines import Line
from storo_ledger.migrations import upgrade

HERE = Path(__file__).resolve().parent
CUSTOMERS = 1000
# enough that no customer reaches its floor during a run
FUNDS = 10**15
PGBENCH = shutil.which("pgbench") or "/usr/lib/postgresql/15/bin/pgbench"


def lines_for(customer: int, amount: int, fee: int) -> list[Line]:
    return [
        Line(
            chart.customer(f"BENCH{customer}", "ZAR"),
            "debit",
            "posted",
            amount + fee,
            "ZAR",
        ),
        Line(chart.settlement("oppwa", "ZAR"), "credit", "posted", amount, "ZAR"),
        Line(chart.fee_revenue("ZAR"), "credit", "posted", fee, "ZAR"),
    ]


def open_accounts(url: str) -> None:
    engine = make_engine(url)
    sessions = make_sessions(engine)
    for customer in range(1, CUSTOMERS + 1, 50):
        with sessions.begin() as session:
            for n in range(customer, min(customer + 50, CUSTOMERS + 1)):
                # a deposit opens the customer and the funding account
                journal.post(
                    session,
                    journal.Draft(
                        kind="post",
                        lines=[
                            Line(chart.funding("ZAR"), "debit", "posted", FUNDS, "ZAR"),
                            Line(
                                chart.customer(f"BENCH{n}", "ZAR"),
                                "credit",
                                "posted",
                                FUNDS,
                                "ZAR",
                            ),
                        ],
                    ),
                )
    with sessions.begin() as session:
        journal.post(session, journal.Draft(kind="post", lines=lines_for(1, 100, 1)))
    engine.dispose()


def run_service(url: str, clients: int, seconds: float) -> float:
    engine = make_engine(url, pool_size=clients)
    sessions = make_sessions(engine)
    inbox = tables(SCHEMA).inbox
    counts = [0] * clients
    deadline = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        while time.monotonic() < deadline:
            with sessions.begin() as session:
                session.execute(
                    insert(inbox).values(
                        event_id=str(uuid.uuid4()),
                        type="transfers.settled",
                        source="bench",
                        subject="bench",
                    )
                )
                journal.post(
                    session,
                    journal.Draft(
                        kind="post",
                        lines=lines_for(
                            rng.randint(1, CUSTOMERS),
                            rng.randint(100, 100000),
                            rng.randint(1, 500),
                        ),
                    ),
                )
            counts[index] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    engine.dispose()
    return sum(counts) / elapsed


def run_pgbench(url: str, clients: int, seconds: float) -> float:
    parsed = make_url(url)
    env = {**os.environ, "PGUSER": parsed.username or "", "PGHOST": parsed.host or ""}
    env["PGPORT"] = str(parsed.port or 5432)
    result = subprocess.run(  # noqa: S603 - a fixed local binary and our own script
        [
            PGBENCH,
            "-n",
            "-f",
            str(HERE / "posting.sql"),
            "-c",
            str(clients),
            "-j",
            "2",
            "-T",
            str(int(seconds)),
            parsed.database or "",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found = re.search(r"tps = ([0-9.]+)", result.stdout)
    if found is None:
        raise RuntimeError(result.stdout + result.stderr)
    return float(found.group(1))


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--clients", type=int, default=8)
    options.add_argument("--seconds", type=float, default=10.0)
    args = options.parse_args()
    server = find_or_start()
    database = create_service_database(server, "ledger")
    try:
        upgrade(database.url)
        open_accounts(database.url)
        service = run_service(database.url, args.clients, args.seconds)
        sql = run_pgbench(database.url, args.clients, args.seconds)
    finally:
        drop_service_database(server, database)
        server.stop()
    print(f"clients={args.clients} seconds={args.seconds:g}")
    print(f"service posting path : {service:8.0f} postings/s")
    print(f"pgbench, same SQL    : {sql:8.0f} postings/s")
    print(f"service / pgbench    : {service / sql:8.2f}")


if __name__ == "__main__":
    main()
