"""How fast the relay drains its outbox, beside the emulator's own PublishBatch rate.

Run with ``make bench`` (or ``.venv/bin/python bench/relay_throughput.py --events
N``). It starts what the tests start (PostgreSQL via storo-testing-lib, moto's
server), so the figures are of this machine and this emulator: on real SNS the
publish call is the part that changes. Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from typing import Any

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from storo_testing import MotoServer, create_service_database, find_or_start
from storo_testing.databases import drop_service_database

from storo_outbox import Relay, create_tables, make_envelope, tables

SCHEMA = "outboxbench"


def fill(engine: sa.Engine, events: int) -> None:
    rows = []
    for n in range(events):
        envelope = make_envelope(
            type="bench.happened", source="bench", subject=f"s-{n}", data={"n": n}
        )
        rows.append(
            {
                "event_id": uuid.UUID(envelope["id"]),
                "type": envelope["type"],
                "subject": envelope["subject"],
                "envelope": envelope,
            }
        )
    with engine.begin() as conn:
        conn.execute(tables(SCHEMA).outbox.insert(), rows)


def emulator_rate(sns: Any, topic: str, events: int) -> float:
    """Messages per second of bare PublishBatch calls (the emulator's ceiling)."""
    entries = [{"Id": str(n), "Message": "{}"} for n in range(10)]
    started = time.perf_counter()
    for _ in range(events // 10):
        sns.publish_batch(TopicArn=topic, PublishBatchRequestEntries=entries)
    return events / (time.perf_counter() - started)


def relay_rate(engine: sa.Engine, sns: Any, topic: str, relays: int) -> float:
    stop = threading.Event()
    loops = [
        Relay(engine, schema=SCHEMA, sns=sns, topic_arn=topic, poll_interval=0.05)
        for _ in range(relays)
    ]
    started = time.perf_counter()
    threads = [threading.Thread(target=r.run_forever, args=(stop,)) for r in loops]
    for thread in threads:
        thread.start()
    while loops[0].refresh_metrics()[0] > 0:
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    with engine.begin() as conn:
        published = conn.execute(
            sa.text(f"DELETE FROM {SCHEMA}.outbox WHERE published_at IS NOT NULL")
        ).rowcount
    return published / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args()
    server = find_or_start()
    database = create_service_database(server, SCHEMA)
    engine = sa.create_engine(database.url, pool_size=5)
    moto = MotoServer()
    try:
        with engine.begin() as conn:
            create_tables(Operations(MigrationContext.configure(conn)), SCHEMA)
        sns = moto.client("sns")
        topic = sns.create_topic(Name="storo-bench-events")["TopicArn"]
        ceiling = emulator_rate(sns, topic, args.events)
        print(f"emulator PublishBatch: {ceiling:8.0f} msg/s")
        for relays in (1, 2):
            fill(engine, args.events)
            rate = relay_rate(engine, sns, topic, relays)
            print(f"{relays} relay(s):            {rate:8.0f} msg/s")
    finally:
        moto.stop()
        engine.dispose()
        drop_service_database(server, database)
        server.stop()


if __name__ == "__main__":
    main()
