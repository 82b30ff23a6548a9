"""Ledger posting from a backlog, through storo-ledger's own code, in one process.

Run with the Python of the ledger release the fleet runs (its devstack virtual
environment), so the code measured is exactly the code deployed:

    .../venvs/ledger/bin/python -m fleetbench.posting --url URL --transfers 500 \
        --threads 1 --out posting.json

Each event of the backlog takes the path the worker gives a message it received:
storo-specs validates the envelope, then storo-outbox-lib's consumer opens the
transaction, records the event id in the inbox and calls the ledger's handler
(``Postings.handle``), which books the entry and writes ``ledger.entry.posted``
into the outbox. Only the SQS receive and delete are left out: moto's SQS slows to
tens of messages per second once a queue holds a few hundred (MEASURED.md), so a
backlog read through it would measure the emulator, not the ledger.

The backlog is every transfer's ``transfers.submitted.usdc`` (a hold entry), then
every transfer's ``transfers.settled`` (a post entry): two entries per transfer.
"""

from __future__ import annotations

import argparse
import json
import threading
import time
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from storo_ledger.db import make_engine, make_sessions
from storo_ledger.postings.consumers import handlers
from storo_ledger.postings.service import Postings, fund
from storo_outbox import Consumer, make_envelope
from storo_platform.money import Money
from storo_specs import validate_event

DEBTOR = "ZA-BENCH-0001"
AMOUNT = {"amount": "10.250000", "currency": "USDC"}
FEE = {"amount": "0.551250", "currency": "USDC"}


def _wire_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def submitted(transfer_id: str, n: int) -> dict[str, Any]:
    cutoff = (datetime.now(UTC) + timedelta(hours=10)).strftime(
        "%Y-%m-%dT%H:%M:%S.000000Z"
    )
    return make_envelope(
        type="transfers.submitted.usdc",
        source="storo-cts",
        subject=transfer_id,
        data={
            "transfer_id": transfer_id,
            "rail": "usdc",
            "amount": AMOUNT,
            "fee": FEE,
            "debtor": {
                "name": "Thandiwe Nkosi",
                "account": DEBTOR,
                "institution": "FIRNZAJJ",
                "country": "ZA",
                "type": "individual",
            },
            "creditor": {
                "name": "Tendai Moyo",
                "account": "OKMRAPU3H3RMV7KTPO4AYZ6CPLUIQOHJUQAAUKQN47LCMB53VTGTUMXCLA",
                "institution": None,
                "country": "ZW",
                "type": "individual",
            },
            "reference": f"POSTING-{n}",
            "purpose": "family support",
            "quote_id": "q_" + uuid.uuid4().hex,
            "dataset_versions": {"fees": "2025.1", "settlement_windows": "2025.1"},
            "settlement": {
                "window": "usdc-onchain",
                "cutoff_at": cutoff,
                "expected_settlement_date": cutoff[:10],
            },
            "submitted_at": _wire_now(),
        },
    )


def settled(transfer_id: str) -> dict[str, Any]:
    return make_envelope(
        type="transfers.settled",
        source="storo-gw-usdc",
        subject=transfer_id,
        data={
            "transfer_id": transfer_id,
            "rail": "usdc",
            "rail_reference": uuid.uuid4().hex.upper() + "ABCDEFGHIJKLMNOPQRST",
            "amount": AMOUNT,
            "settled_at": _wire_now(),
            "proof": "rail_confirmation",
            "details": {"confirmed_round": 4242},
        },
    )


def drain(
    consumer: Consumer, backlog: deque[dict[str, Any]], threads: int
) -> list[list[float]]:
    """Work a backlog off with ``threads`` threads; [finished_at, seconds] per event."""
    handler = consumer.handlers
    samples: list[list[float]] = []
    lock = threading.Lock()

    def work() -> None:
        while True:
            try:
                envelope = backlog.popleft()
            except IndexError:
                return
            started = time.perf_counter()
            validate_event(envelope)
            # The consumer's own transaction: inbox row, then the handler. This is
            # the method its poll loop calls for every message it received.
            outcome = consumer._handle(envelope, handler[envelope["type"]])
            if outcome != "handled":
                raise RuntimeError(f"{envelope['id']} was not handled: {outcome}")
            finished = time.perf_counter()
            with lock:
                samples.append([finished, finished - started])

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="SQLAlchemy URL of the books")
    parser.add_argument("--transfers", type=int, default=500)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    engine = make_engine(args.url, pool_size=args.threads)
    with make_sessions(engine).begin() as session:
        fund(
            session,
            account=DEBTOR,
            money=Money(10**15, "USDC"),
            reference=f"bench-{uuid.uuid4()}",
        )
    consumer = Consumer(
        engine,
        schema="ledger",
        sqs=None,
        queue_url="bench://storo-ledger-backlog",
        handlers=handlers(Postings(hold_ttl=timedelta(hours=120))),
        validate=validate_event,
    )
    ids = [str(uuid.uuid4()) for _ in range(args.transfers)]
    holds = deque(submitted(t, n) for n, t in enumerate(ids))
    posts = deque(settled(t) for t in ids)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM ledger.entries")).scalar_one()

    started = time.perf_counter()
    samples = drain(consumer, holds, args.threads)
    samples += drain(consumer, posts, args.threads)
    seconds = time.perf_counter() - started

    with engine.connect() as conn:
        after = conn.execute(text("SELECT count(*) FROM ledger.entries")).scalar_one()
    engine.dispose()
    booked = int(after - before)
    args.out.write_text(
        json.dumps(
            {
                "events": len(samples),
                "entries_booked": booked,
                "threads": args.threads,
                "seconds": round(seconds, 3),
                "entries_per_s": round(booked / seconds, 1),
                "samples": [[round(f - started, 4), round(s, 5)] for f, s in samples],
            }
        )
    )


if __name__ == "__main__":
    main()
