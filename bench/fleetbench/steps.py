"""The five measurements, each against the fleet and its reference in one run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psycopg
from psycopg import sql

from fleetbench import cpu, documents, pgbench, profile, stats
from fleetbench.fleet import Fleet, sqlalchemy_url, with_database

BENCH = Path(__file__).resolve().parent.parent
SQL = BENCH / "sql"
REFERENCE_DATABASE = "storo_bench_ref"


@dataclass
class Settings:
    out: Path
    concurrency: int = 4
    intake_seconds: float = 12.0
    warmup_seconds: float = 2.0
    pgbench_seconds: int = 8
    e2e_rate: float = 100.0
    e2e_count: int = 250
    # A load the fleet can carry, so that end-to-end latency has a figure even
    # when the stated load is beyond the fleet.
    e2e_steady_rate: float = 2.0
    e2e_steady_count: int = 30
    e2e_timeout: float = 90.0
    relay_events: int = 1000
    posting_transfers: int = 400
    posting_threads: tuple[int, ...] = (1, 4)
    sizes: tuple[int, ...] = (100_000, 1_000_000)
    profile: bool = True


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


# --- the reference database ---------------------------------------------------------


def prepare_reference(fleet: Fleet) -> str:
    """A database of the benchmark's own where pgbench and the posting driver write.

    Its ``cts`` and ``ledger`` schemas are made by the services' own migrations (run
    from the releases the fleet runs), so the tables, keys and indexes are the real
    ones; the fleet's own database is left to the fleet, whose relays would
    otherwise publish the rows pgbench writes.
    """
    with psycopg.connect(fleet.admin_url, autocommit=True) as conn:
        name = sql.Identifier(REFERENCE_DATABASE)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    url = with_database(fleet.admin_url, REFERENCE_DATABASE)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE SCHEMA cts")
        conn.execute("CREATE SCHEMA ledger")
    target = sqlalchemy_url(url)
    runs = [
        (fleet.command("cts"), {"STORO_CTS_DATABASE_URL": target}),
        (fleet.command("ledger"), {"STORO_LEDGER_DATABASE_URL": target}),
    ]

    def migrate(run: tuple[Path, dict[str, str]]) -> None:
        command, env = run
        subprocess.run(
            [str(command), "migrate"],
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(migrate, runs))
    return url


def drop_reference(fleet: Fleet) -> None:
    with psycopg.connect(fleet.admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(REFERENCE_DATABASE)
            )
        )


# --- load generation ----------------------------------------------------------------


def _loadgen(
    fleet: Fleet, out: Path, *args: str
) -> tuple[list[list[Any]], dict[str, Any]]:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "fleetbench.loadgen",
            "--url",
            fleet.url("cts"),
            "--wallet",
            fleet.wallet,
            "--out",
            str(out),
            *args,
        ],
        check=True,
        cwd=BENCH,
    )
    written = json.loads(out.read_text())
    return written.pop("samples"), written


def intake(
    fleet: Fleet, settings: Settings, label: str, *, with_profile: bool = False
) -> tuple[dict[str, Any], list[list[Any]]]:
    """POST /v1/transfers at fixed concurrency for a fixed time."""
    rows = fleet.transfer_count()
    load = load_average()
    spy = None
    raw = settings.out / f"profile-{label}.txt"
    pid = fleet.pid("cts")
    if with_profile and pid is not None:
        spy = profile.start(pid, settings.warmup_seconds + settings.intake_seconds, raw)
    before = cpu.snapshot(fleet.processes())
    began = time.perf_counter()
    samples, generator = _loadgen(
        fleet,
        settings.out / f"samples-intake-{label}.json",
        "--concurrency",
        str(settings.concurrency),
        "--duration",
        str(settings.intake_seconds),
        "--warmup",
        str(settings.warmup_seconds),
    )
    used = cpu.difference(before, cpu.snapshot(fleet.processes()))
    elapsed = time.perf_counter() - began
    used["loadgen"] = round(generator["cpu_seconds"], 2)
    transfers = max(1, int(generator["accepted_with_warmup"]))
    if spy is not None:
        spy.wait(timeout=60)
    accepted = [s for s in samples if s[2] == 201]
    figures: dict[str, Any] = {
        "transfers_in_database": rows,
        "concurrency": settings.concurrency,
        "seconds": settings.intake_seconds,
        "requests": len(samples),
        "accepted": len(accepted),
        "errors": len(samples) - len(accepted),
        "outcomes": dict(Counter(str(s[3] or s[2]) for s in samples)),
        "tps": round(len(accepted) / settings.intake_seconds, 1),
        **stats.summary_ms([s[1] for s in accepted]),
        "load_average_before": load,
        # CPU used during the run (warm-up and the generator's start included), per
        # accepted transfer: on two shared cores, this is where the time goes.
        "cpu_ms_per_transfer": {
            name: round(1000 * seconds / transfers, 1)
            for name, seconds in sorted(used.items(), key=lambda kv: -kv[1])
            if seconds > 0
        },
        "machine_cpu_busy_percent": round(
            100 * used["machine (all processes)"] / (elapsed * (os.cpu_count() or 1)),
            1,
        ),
    }
    if spy is not None:
        figures["profile"] = profile.summarise(raw)
    return figures, samples


def completions_per_second(samples: list[list[Any]]) -> list[int]:
    done = [s[0] + s[1] for s in samples if s[2] == 201]
    origin = min((s[0] for s in samples), default=None)
    return stats.per_second(done, origin)


# --- end to end ---------------------------------------------------------------------


def end_to_end(
    fleet: Fleet, settings: Settings, rate: float, count: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """N transfers offered at a fixed rate, followed to settled and booked."""
    load = load_average()
    samples, _ = _loadgen(
        fleet,
        settings.out / f"samples-e2e-{rate:g}.json",
        "--rate",
        str(rate),
        "--count",
        str(count),
    )
    started = {s[4]: s[0] for s in samples if s[2] == 201 and s[3] == "submitted"}
    ids = list(started)
    deadline = time.monotonic() + settings.e2e_timeout
    done: dict[str, float] = {}
    last_progress = time.monotonic()
    while ids and time.monotonic() < deadline:
        finished = _settled_and_booked(fleet, ids)
        if len(finished) > len(done):
            last_progress = time.monotonic()
        done = finished
        if len(done) == len(ids) or time.monotonic() - last_progress > 30:
            break
        time.sleep(1.0)
    latencies = [done[t] - started[t] for t in done]
    missing = len(ids) - len(done)
    first = min(started.values(), default=0.0)
    completions = list(done.values())
    span = (max(completions) - first) if completions else 0.0
    p50 = stats.percentile_with_missing(latencies, missing, 50)
    p99 = stats.percentile_with_missing(latencies, missing, 99)
    posts = [s[1] for s in samples if s[2] == 201]
    figures = {
        "offered_per_s": rate,
        "offered": count,
        "outcomes": dict(Counter(str(s[3] or s[2]) for s in samples)),
        "accepted": len([s for s in samples if s[2] == 201]),
        "submitted": len(ids),
        "settled_and_booked": len(done),
        "not_finished_within_s": settings.e2e_timeout if missing else None,
        "unfinished": missing,
        "p50_ms": None if p50 is None else round(p50 * 1000, 1),
        "p99_ms": None if p99 is None else round(p99 * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "settled_per_s_sustained": round(len(done) / span, 1) if span else None,
        "post_p50_ms": round(stats.percentile(posts, 50) * 1000, 1) if posts else None,
        "post_p99_ms": round(stats.percentile(posts, 99) * 1000, 1) if posts else None,
        "load_average_before": load,
        "median_seconds_per_hop": stages(fleet, started) if started else {},
        "compliance_answers_afterwards": compliance_answers(fleet),
    }
    chart = {
        "latencies": latencies,
        "post_latencies": posts,
        "throughput": {
            "offered (POST started)": stats.per_second([s[0] for s in samples]),
            "settled and booked": stats.per_second(completions, first),
        },
    }
    return figures, chart


STAGES = """
SELECT t.id::text,
       extract(epoch FROM t.created_at),
       (SELECT extract(epoch FROM min(o.published_at)) FROM cts.outbox AS o
         WHERE o.subject = t.id::text AND o.type LIKE 'transfers.submitted.%%'),
       (SELECT extract(epoch FROM min(e.posted_at)) FROM ledger.entries AS e
         WHERE e.transfer_id = t.id AND e.kind = 'hold'),
       (SELECT extract(epoch FROM min(l.time)) FROM cts.transfer_timeline AS l
         WHERE l.transfer_id = t.id AND l.to_status = 'accepted'
           AND l.type = 'transfers.status.changed'),
       (SELECT extract(epoch FROM min(l.time)) FROM cts.transfer_timeline AS l
         WHERE l.transfer_id = t.id AND l.to_status = 'settled'
           AND l.type = 'transfers.status.changed'),
       (SELECT extract(epoch FROM min(e.posted_at)) FROM ledger.entries AS e
         WHERE e.transfer_id = t.id AND e.kind = 'post')
  FROM cts.transfers AS t WHERE t.id = ANY(%(ids)s::uuid[])
"""
STAGE_NAMES = (
    "POST sent -> transfer row written (queueing in CTS included)",
    "written -> transfers.submitted published by the CTS relay",
    "published -> hold booked in the ledger",
    "published -> accepted in CTS (gw-usdc sent it to the rail)",
    "accepted -> settled in CTS",
    "settled in CTS -> post booked (negative: the ledger was first)",
)


def stages(fleet: Fleet, started: dict[str, float]) -> dict[str, float | None]:
    """Median seconds of each hop of a transfer through the fleet."""
    rows = fleet.query(STAGES, {"ids": list(started)})
    hops: list[list[float]] = [[] for _ in STAGE_NAMES]
    for tid, created, published, held, accepted, settled, posted in rows:
        points = [
            (started[tid], created, 0),
            (created, published, 1),
            (published, held, 2),
            (published, accepted, 3),
            (accepted, settled, 4),
            (settled, posted, 5),
        ]
        for begin, end, hop in points:
            if begin is not None and end is not None:
                hops[hop].append(float(end) - float(begin))
    return {
        name: round(stats.percentile(values, 50), 3) if values else None
        for name, values in zip(STAGE_NAMES, hops, strict=True)
    }


def compliance_answers(fleet: Fleet) -> bool:
    """Whether storo-compliance still screens within 5 s (a burst can wedge it)."""
    body = {"party": {"name": "Rudo Zulu", "type": "individual", "country": "ZA"}}
    try:
        answer = httpx.post(
            f"{fleet.url('compliance')}/v1/screenings",
            json={**body, "reference": None},
            timeout=5,
        )
    except httpx.HTTPError:
        return False
    return answer.status_code == 200


def _settled_and_booked(fleet: Fleet, ids: list[str]) -> dict[str, float]:
    """Transfer id -> wall time when it was both settled in CTS and posted."""
    rows = fleet.query(
        """
        WITH settled AS (
            SELECT transfer_id, min(time) AS at FROM cts.transfer_timeline
             WHERE type = 'transfers.status.changed' AND to_status = 'settled'
               AND transfer_id = ANY(%(ids)s::uuid[])
             GROUP BY transfer_id
        ), booked AS (
            SELECT transfer_id, min(posted_at) AS at FROM ledger.entries
             WHERE kind = 'post' AND transfer_id = ANY(%(ids)s::uuid[])
             GROUP BY transfer_id
        )
        SELECT s.transfer_id::text, extract(epoch FROM greatest(s.at, b.at))
          FROM settled AS s JOIN booked AS b USING (transfer_id)
        """,
        {"ids": ids},
    )
    return {str(t): float(at) for t, at in rows}


# --- intake beside pgbench ----------------------------------------------------------


def intake_reference(
    fleet: Fleet, reference: str, settings: Settings
) -> dict[str, Any]:
    variables = documents.intake_variables(fleet.database_url)
    load = load_average()
    result = pgbench.run(
        reference,
        SQL / "intake.sql",
        clients=settings.concurrency,
        seconds=settings.pgbench_seconds,
        variables=variables,
    )
    return {**result.as_dict(), "load_average_before": load}


# --- ledger posting -----------------------------------------------------------------


def posting(fleet: Fleet, reference: str, settings: Settings) -> dict[str, Any]:
    """Entries booked per second by storo-ledger's code, beside pgbench's."""
    python = fleet.venv_python("ledger")
    variables = documents.posting_variables()
    runs = []
    for threads in settings.posting_threads:
        out = settings.out / f"samples-posting-{threads}.json"
        load = load_average()
        subprocess.run(
            [
                str(python),
                "-m",
                "fleetbench.posting",
                "--url",
                sqlalchemy_url(reference),
                "--transfers",
                str(settings.posting_transfers),
                "--threads",
                str(threads),
                "--out",
                str(out),
            ],
            env={**os.environ, "PYTHONPATH": str(BENCH)},
            check=True,
            cwd=BENCH,
        )
        code = json.loads(out.read_text())
        reference_run = pgbench.run(
            reference,
            SQL / "posting.sql",
            clients=threads,
            seconds=settings.pgbench_seconds,
            variables=variables,
        )
        # One pgbench transaction of posting.sql books one transfer: two entries.
        limit = 2 * reference_run.tps
        runs.append(
            {
                "threads": threads,
                "entries_booked": code["entries_booked"],
                "entries_per_s": code["entries_per_s"],
                "entry_p50_ms": round(
                    stats.percentile([s[1] for s in code["samples"]], 50) * 1000, 2
                ),
                "entry_p99_ms": round(
                    stats.percentile([s[1] for s in code["samples"]], 99) * 1000, 2
                ),
                "pgbench_entries_per_s": round(limit, 1),
                "pgbench": reference_run.as_dict(),
                "ratio": stats.ratio(code["entries_per_s"], limit),
                "load_average_before": load,
            }
        )
    return {
        "path": "in-process: storo-specs validation + storo-outbox-lib "
        "Consumer transaction + storo-ledger Postings.handle",
        "runs": runs,
    }
