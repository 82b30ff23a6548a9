"""A load generator for the transfer API, run as its own process.

It keeps a fixed number of requests in flight for a fixed time (closed loop), or
offers a fixed rate (open loop), and writes every request's start (wall clock, so
it can be matched with timestamps the fleet stores), latency, HTTP status, the
transfer's status and id to a JSON file, with the generator's own CPU time; the
parent computes percentiles and throughput over time.

    python -m fleetbench.loadgen --url http://127.0.0.1:38100 --concurrency 8 \
        --duration 15 --wallet ADDRESS --out intake.json
    python -m fleetbench.loadgen --url ... --rate 100 --count 500 --wallet ... \
        --out e2e.json
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import time
import uuid
from pathlib import Path

import httpx

# Customers to pay from and to: a few hundred distinct names, as a real book of
# customers repeats, so compliance's caches see what they would in production.
FIRST = (
    "Thandiwe",
    "Lerato",
    "Sipho",
    "Naledi",
    "Kagiso",
    "Tendai",
    "Rudo",
    "Farai",
    "Chipo",
    "Tatenda",
    "Nomsa",
    "Bongani",
    "Ayanda",
    "Zanele",
    "Mpho",
    "Tshepo",
    "Nyasha",
    "Kudzai",
    "Tafadzwa",
    "Rufaro",
)
LAST = (
    "Nkosi",
    "Dlamini",
    "Mokoena",
    "Khumalo",
    "Ndlovu",
    "Moyo",
    "Sibanda",
    "Ncube",
    "Mahlangu",
    "Zulu",
    "Mutasa",
    "Mlambo",
    "Banda",
    "Phiri",
    "Nyathi",
    "Maseko",
    "Shabalala",
)
NAMES = [f"{first} {last}" for first, last in itertools.product(FIRST, LAST)]


def transfer_body(wallet: str, debtor_account: str, n: int) -> dict[str, object]:
    return {
        "amount": {"amount": "10.250000", "currency": "USDC"},
        "rail": "usdc",
        "debtor": {
            "name": NAMES[n % len(NAMES)],
            "type": "individual",
            "account": debtor_account,
            "institution": "FIRNZAJJ",
            "country": "ZA",
        },
        "creditor": {
            "name": NAMES[(n * 7 + 3) % len(NAMES)],
            "type": "individual",
            "account": wallet,
            "institution": None,
            "country": "ZW",
        },
        "reference": "BENCH-" + uuid.uuid4().hex[:12],
        "purpose": "family support",
    }


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.samples: list[list[object]] = []
        self.numbers = itertools.count()
        self.keep_after = 0.0  # wall-clock time from which samples count
        self.answered = 0  # every 201, warm-up included (for CPU per transfer)

    async def one(self, client: httpx.AsyncClient) -> None:
        body = transfer_body(self.args.wallet, self.args.debtor, next(self.numbers))
        wall = time.time()
        started = time.perf_counter()
        status, state, transfer_id = 0, None, None
        try:
            answer = await client.post(
                "/v1/transfers",
                json=body,
                headers={"Idempotency-Key": str(uuid.uuid4())},
            )
            status = answer.status_code
            if status == 201:
                created = answer.json()
                state, transfer_id = created["status"], created["transfer_id"]
                if created.get("reason_code"):
                    state = f"{state}:{created['reason_code']}"
                self.answered += 1
        except httpx.HTTPError:
            pass  # status 0: no answer (refused, reset, timed out)
        latency = time.perf_counter() - started
        if wall >= self.keep_after:
            self.samples.append([wall, latency, status, state, transfer_id])

    async def closed_loop(self) -> None:
        args = self.args
        limits = httpx.Limits(max_connections=args.concurrency)
        async with httpx.AsyncClient(
            base_url=args.url, limits=limits, timeout=30
        ) as client:
            self.keep_after = time.time() + args.warmup
            deadline = time.perf_counter() + args.warmup + args.duration

            async def worker() -> None:
                while time.perf_counter() < deadline:
                    await self.one(client)

            await asyncio.gather(*(worker() for _ in range(args.concurrency)))

    async def open_loop(self) -> None:
        args = self.args
        limits = httpx.Limits(max_connections=512)
        async with httpx.AsyncClient(
            base_url=args.url, limits=limits, timeout=60
        ) as client:
            interval = 1.0 / args.rate
            start = time.perf_counter()
            tasks = []
            for n in range(args.count):
                # Requests leave on schedule whatever the answers do: an open loop,
                # so a slow server shows as latency, not as a lowered offered load.
                delay = start + n * interval - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(self.one(client)))
            await asyncio.gather(*tasks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--wallet", required=True)
    parser.add_argument("--debtor", default="ZA-DEMO-0001")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=0.0)
    parser.add_argument("--rate", type=float, help="open loop: requests per second")
    parser.add_argument("--count", type=int, default=0, help="open loop: how many")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()

    run = Run(args)
    asyncio.run(run.open_loop() if args.rate else run.closed_loop())
    # The generator's own CPU: on a small machine it competes with the fleet.
    args.out.write_text(
        json.dumps(
            {
                "cpu_seconds": time.process_time(),
                "accepted_with_warmup": run.answered,
                "samples": run.samples,
            }
        )
    )


if __name__ == "__main__":
    main()
