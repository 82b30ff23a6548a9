"""Intake benchmark: POST /v1/transfers under concurrent load, beside PostgreSQL.

    .venv/bin/python bench/intake.py [--requests 2000] [--concurrency 16] [--workers 2]

It creates a throwaway database (storo-testing-lib), starts stand-in compliance and
directory answering instantly (a separate process, so they cost the CTS process
nothing), runs ``storo-cts serve`` as a subprocess, and sends a bounded number of
requests from one process. In the same run it measures PostgreSQL itself on a
comparable transaction (a transfer row with a unique key and jsonb, and its outbox
rows) with 8 threads, so the two figures come from the same machine state.
Everything it starts is stopped at the end; it targets 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import aiohttp
import httpx
import psycopg
from storo_testing import create_service_database, find_or_start
from storo_testing.databases import drop_service_database

SCREENING = {
    "screening_id": "scr_1",
    "decision": "clear",
    "score": 0,
    "reason": None,
    "candidates": [],
    "list_versions": {"ofac_sdn": "2026-12-01"},
    "screened_at": "2026-12-03T10:00:00.000000Z",
}
QUOTE = {
    "quote_id": "q_bench",
    "amount": {"amount": "125.50", "currency": "USD"},
    "fee": {"amount": "1.26", "currency": "USD"},
    "total": {"amount": "126.76", "currency": "USD"},
    "rail": "oppwa",
    "rail_reason": "cheapest",
    "settlement": {
        "window": "oppwa-same-day",
        "cutoff_at": "2026-12-03T14:00:00Z",
        "expected_settlement_date": "2026-12-03",
    },
    "dataset_versions": {"fees": "fees-2026-12-01"},
}
PARTY = {"account": "ZA44000000012345678", "institution": None, "type": "individual"}
BODY = {
    "debtor": {**PARTY, "name": "Thandi Nkosi", "country": "ZA"},
    "creditor": {**PARTY, "name": "Tendai Moyo", "country": "ZW"},
    "amount": {"amount": "125.50", "currency": "USD"},
    "reference": "BENCH",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answer(payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload).encode()
    head = (
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


def stub_server(port: int) -> None:
    """A minimal keep-alive HTTP/1.1 server answering screenings and quotes."""
    answers = {b"/v1/screenings": _answer(SCREENING), b"/v1/quotes": _answer(QUOTE)}

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1]
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                writer.write(answers.get(path, answers[b"/v1/quotes"]))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(serve, "127.0.0.1", port)
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def postgres_reference(url: str, transactions: int, threads: int = 8) -> float:
    """Transactions per second of a bare intake-like transaction."""
    conninfo = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS cts.bench_transfer (id uuid PRIMARY KEY,"
            " key text UNIQUE, body jsonb)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS cts.bench_outbox (id bigint GENERATED ALWAYS"
            " AS IDENTITY PRIMARY KEY, subject text, envelope jsonb)"
        )
    body = json.dumps(BODY)

    def run(count: int) -> None:
        with psycopg.connect(conninfo) as conn:
            for _ in range(count):
                tid = uuid.uuid4()
                with conn.transaction():
                    conn.execute(
                        "INSERT INTO cts.bench_transfer VALUES (%s, %s, %s)",
                        (tid, str(tid), body),
                    )
                    conn.execute(
                        "INSERT INTO cts.bench_outbox (subject, envelope)"
                        " VALUES (%s, %s)",
                        (str(tid), body),
                    )

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(run, [transactions // threads] * threads))
    return transactions / (time.perf_counter() - started)


async def load(url: str, requests: int, concurrency: int) -> tuple[float, list[float]]:
    """Send ``requests`` intakes from ``concurrency`` clients; return rate, latencies.

    The load comes from aiohttp (as CTS's own calls do): httpx's pool costs more
    CPU per request than the server under test, which would measure the client.
    """
    latencies: list[float] = []
    counter = iter(range(requests))
    failures = 0
    payload = json.dumps(BODY)

    async def client_loop(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        for _ in counter:
            started = time.perf_counter()
            async with session.post(
                f"{url}/v1/transfers",
                data=payload,
                headers={
                    "Idempotency-Key": str(uuid.uuid4()),
                    "content-type": "application/json",
                },
            ) as response:
                text = await response.text()
            latencies.append(time.perf_counter() - started)
            if response.status != 201 or '"submitted"' not in text:
                failures += 1
                if failures == 1:
                    print(response.status, text[:500], file=sys.stderr)

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    if failures:
        print(f"warning: {failures} requests did not submit", file=sys.stderr)
    return requests / elapsed, latencies


def wait_until_up(url: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/live", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("CTS did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    server = find_or_start()
    database = create_service_database(server, "cts")
    stub_port, cts_port = free_port(), free_port()
    stub = multiprocessing.Process(target=stub_server, args=(stub_port,), daemon=True)
    stub.start()
    env = {
        **os.environ,
        "STORO_CTS_DATABASE_URL": database.url,
        "STORO_CTS_COMPLIANCE_URL": f"http://127.0.0.1:{stub_port}",
        "STORO_CTS_DIRECTORY_URL": f"http://127.0.0.1:{stub_port}",
        "STORO_CTS_LOG_LEVEL": "WARNING",
    }
    cts: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [sys.executable, "-m", "storo_cts.cli", "migrate"], env=env, check=True
        )
        reference = postgres_reference(database.url, transactions=args.requests)
        cts = subprocess.Popen(  # noqa: S603 - our own console script
            [
                sys.executable,
                "-m",
                "storo_cts.cli",
                "serve",
                "--port",
                str(cts_port),
                "--workers",
                str(args.workers),
            ],
            env=env,
        )
        url = f"http://127.0.0.1:{cts_port}"
        wait_until_up(url)
        asyncio.run(load(url, min(200, args.requests), args.concurrency))  # warm up
        rate, latencies = asyncio.run(load(url, args.requests, args.concurrency))
        quantiles = statistics.quantiles(latencies, n=100)
        print(
            json.dumps(
                {
                    "requests": args.requests,
                    "concurrency": args.concurrency,
                    "cts_workers": args.workers,
                    "intake_per_second": round(rate, 1),
                    "p50_ms": round(quantiles[49] * 1000, 1),
                    "p95_ms": round(quantiles[94] * 1000, 1),
                    "p99_ms": round(quantiles[98] * 1000, 1),
                    "postgres_intake_tx_per_second": round(reference, 1),
                    "fraction_of_postgres": round(rate / reference, 3),
                    "cores": os.cpu_count(),
                },
                indent=2,
            )
        )
    finally:
        if cts is not None:
            cts.terminate()
            try:
                cts.wait(timeout=20)
            except subprocess.TimeoutExpired:
                cts.kill()
                cts.wait()
        stub.terminate()
        stub.join(timeout=5)
        drop_service_database(server, database)
        server.stop()


if __name__ == "__main__":
    main()
