"""`python -m fleetbench`: bring a fleet up, measure it beside this machine, reset.

Writes out/figures.json (every figure and the machine's description) and
out/chart.png, and prints the table. The fleet is reset at the end, also when a
step fails; the figures measured until then are still written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fleetbench import chart, growth, machine, relay, report, stats, steps
from fleetbench.fleet import Fleet, sqlalchemy_url

BENCH = Path(__file__).resolve().parent.parent


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fleetbench", description=__doc__)
    parser.add_argument("--out", type=Path, default=BENCH / "out")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--intake-seconds", type=float, default=12.0)
    parser.add_argument("--pgbench-seconds", type=int, default=8)
    parser.add_argument("--e2e-rate", type=float, default=100.0)
    parser.add_argument("--e2e-count", type=int, default=250)
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--keep-fleet",
        action="store_true",
        help="leave the fleet running afterwards (and reuse a running one)",
    )
    return parser.parse_args()


def _fleet(out: Path) -> Fleet:
    registry = Path(os.environ.get("STORO_INDEX", BENCH.parent / ".registry"))
    devstack = Path(
        os.environ.get("DEVSTACK", BENCH.parent / "storo-devstack/.venv/bin/devstack")
    )
    if not devstack.exists():
        sys.exit(f"fleetbench: no devstack at {devstack}; run `make bench` at the root")
    return Fleet(
        devstack=devstack.resolve(),
        home=out / "fleet",
        registry=registry.resolve(),
        admin_url=os.environ.get(
            "STORO_BENCH_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        log=out / "devstack.log",
    )


def main() -> int:
    args = _arguments()
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    settings = steps.Settings(
        out=out,
        concurrency=args.concurrency,
        intake_seconds=args.intake_seconds,
        pgbench_seconds=args.pgbench_seconds,
        e2e_rate=args.e2e_rate,
        e2e_count=args.e2e_count,
        sizes=tuple(int(n) for n in args.sizes.split(",") if n),
        profile=not args.no_profile,
    )
    fleet = _fleet(out)
    begun = time.perf_counter()
    figures: dict[str, Any] = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": machine.describe(fleet.admin_url, fleet.devstack),
        "releases": machine.releases(fleet.registry),
        "settings": {k: str(v) for k, v in vars(settings).items() if k != "out"},
    }
    plot: dict[str, Any] = {
        "intake_latencies": {},
        "intake_throughput": {},
        "e2e_latencies": {},
        "e2e_throughput": {},
    }
    failed = False
    try:
        _measure(fleet, settings, figures, plot, keep=args.keep_fleet)
    except Exception:
        failed = True
        figures["error"] = traceback.format_exc()
        print(figures["error"], file=sys.stderr)
    finally:
        if not args.keep_fleet:
            report.step("resetting the benchmark's fleet")
            fleet.reset()
            steps.drop_reference(fleet)
    figures["run_seconds"] = round(time.perf_counter() - begun, 1)
    figures["targets"] = report.targets(figures)
    plot["ratios"] = {
        t["name"]: (t["ratio"], t["threshold"])
        for t in figures["targets"]
        if t.get("ratio") is not None
    }
    (out / "figures.json").write_text(json.dumps(figures, indent=2, default=str))
    (out / "plot.json").write_text(json.dumps(plot))
    print(report.table(figures))
    chart.draw(out / "chart.png", plot, chart.subtitle(figures))
    print(f"\nfigures: {out / 'figures.json'}\nchart:   {out / 'chart.png'}")
    return 1 if failed else 0


def _measure(
    fleet: Fleet,
    settings: steps.Settings,
    figures: dict[str, Any],
    plot: dict[str, Any],
    *,
    keep: bool,
) -> None:
    running = keep and fleet.pid("cts") is not None
    report.step("bringing the benchmark's fleet up (devstack up, offset 30000)")
    figures["fleet_up_seconds"] = 0.0 if running else round(fleet.up(), 1)
    reference = steps.prepare_reference(fleet)

    report.step("relay: storo-outbox-lib Relay beside raw PublishBatch")
    figures["relay"] = relay.measure(
        sqlalchemy_url(reference), fleet.client("sns"), settings.relay_events
    )
    figures["relay"]["ratio"] = stats.ratio(
        figures["relay"]["relay_events_per_s"],
        figures["relay"]["raw_publish_batch_per_s"],
    )

    steady, count = settings.e2e_steady_rate, settings.e2e_steady_count
    report.step(f"end to end: {count} transfers at {steady:g}/s (a load it carries)")
    figures["e2e_steady"], e2e_plot = steps.end_to_end(fleet, settings, steady, count)
    _plot_e2e(plot, f"{steady:g}/s", e2e_plot)
    figures["e2e_steady"]["quiesce"] = fleet.quiesce()

    report.step("intake: pgbench with the SQL of one intake")
    reference_intake = steps.intake_reference(fleet, reference, settings)
    report.step(f"intake: POST /v1/transfers, {settings.concurrency} in flight")
    empty, samples = steps.intake(fleet, settings, "empty")
    figures["intake"] = {
        **empty,
        "pgbench": reference_intake,
        "ratio": stats.ratio(empty["tps"], reference_intake["tps"]),
    }
    _plot_intake(plot, f"{empty['transfers_in_database']:,} transfers", samples)
    figures["intake"]["quiesce"] = fleet.quiesce()
    if settings.profile:
        # A run of its own: py-spy takes CPU too, which would lower the figures.
        report.step("intake under py-spy: where the CTS process spends its CPU")
        profiled, _ = steps.intake(fleet, settings, "profiled", with_profile=True)
        figures["intake_profile"] = profiled
        fleet.quiesce()

    report.step("ledger posting: storo-ledger's code beside pgbench")
    figures["posting"] = steps.posting(fleet, reference, settings)

    sizes: list[dict[str, Any]] = [{"size": "empty", **_size_row(empty)}]
    figures["sizes"] = sizes
    for size in settings.sizes:
        have = fleet.transfer_count()
        report.step(f"growing the CTS tables to {size:,} transfers")
        grown = growth.grow(fleet.database_url, max(0, size - have), have)
        quiet = fleet.quiesce()
        report.step(f"intake at {size:,} transfers")
        run, samples = steps.intake(fleet, settings, f"{size}")
        sizes.append(
            {"size": size, **_size_row(run), "growth": grown, "quiesce": quiet}
        )
        _plot_intake(plot, f"{run['transfers_in_database']:,} transfers", samples)
        fleet.quiesce()
    for row in sizes[1:]:
        row["tps_loss_percent"] = round(100 * (1 - row["tps"] / sizes[0]["tps"]), 1)
        row["p99_change_percent"] = round(
            100 * (row["p99_ms"] / sizes[0]["p99_ms"] - 1), 1
        )

    # Last: the stated load may be more than the fleet carries (and a burst has
    # wedged storo-compliance before), so nothing is measured after it.
    rate, count = settings.e2e_rate, settings.e2e_count
    report.step(f"end to end: {count} transfers at {rate:g}/s (the stated load)")
    figures["e2e"], e2e_plot = steps.end_to_end(fleet, settings, rate, count)
    _plot_e2e(plot, f"{rate:g}/s", e2e_plot)


def _size_row(run: dict[str, Any]) -> dict[str, Any]:
    keys = ("transfers_in_database", "tps", "p50_ms", "p99_ms", "p99_9_ms", "errors")
    return {k: run[k] for k in (*keys, "load_average_before")}


def _plot_e2e(plot: dict[str, Any], label: str, e2e: dict[str, Any]) -> None:
    plot["e2e_latencies"][f"{label}: POST to settled and booked"] = e2e["latencies"]
    plot["e2e_latencies"][f"{label}: POST alone"] = e2e["post_latencies"]
    for name, counts in e2e["throughput"].items():
        plot["e2e_throughput"][f"{label} {name}"] = counts


def _plot_intake(plot: dict[str, Any], label: str, samples: list[list[Any]]) -> None:
    plot["intake_latencies"][label] = [s[1] for s in samples if s[2] == 201]
    plot["intake_throughput"][label] = steps.completions_per_second(samples)


if __name__ == "__main__":
    raise SystemExit(main())
