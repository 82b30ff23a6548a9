"""The terminal table and the verdict against the targets of the benchmark issue."""

from __future__ import annotations

from typing import Any


def step(text: str) -> None:
    print(f"==> {text}", flush=True)


def _get(figures: dict[str, Any], *path: Any) -> Any:
    value: Any = figures
    for key in path:
        in_dict = isinstance(value, dict) and key in value
        in_list = isinstance(value, list) and isinstance(key, int) and key < len(value)
        if in_dict or in_list:
            value = value[key]
        else:
            return None
    return value


def _target(
    name: str, what: str, ratio: float | None, threshold: float, met: bool | None
) -> dict[str, Any]:
    return {
        "name": name,
        "target": what,
        "ratio": ratio,
        "threshold": threshold,
        "met": met,
    }


def targets(figures: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    ratio = _get(figures, "intake", "ratio")
    p99 = _get(figures, "intake", "p99_ms")
    found.append(
        _target(
            "intake vs pgbench",
            ">= 30% of pgbench, p99 < 50 ms",
            ratio,
            0.30,
            None if ratio is None else bool(ratio >= 0.30 and p99 < 50),
        )
    )
    e2e = _get(figures, "e2e", "p99_ms")
    offered = _get(figures, "e2e", "offered_per_s")
    found.append(
        _target(
            "end to end p99",
            f"p99 < 2 s at {offered or 100:.0f}/s offered",
            None,
            2.0,
            None if offered is None else bool(e2e is not None and e2e < 2000),
        )
    )
    ratio = _get(figures, "relay", "ratio")
    found.append(
        _target(
            "relay vs raw PublishBatch",
            ">= 80% of raw",
            ratio,
            0.80,
            None if ratio is None else bool(ratio >= 0.80),
        )
    )
    ratio = _get(figures, "posting", "runs", 0, "ratio")
    found.append(
        _target(
            "posting vs pgbench",
            ">= 40% of pgbench (worker's one consumer thread)",
            ratio,
            0.40,
            None if ratio is None else bool(ratio >= 0.40),
        )
    )
    sizes = _get(figures, "sizes") or []
    last = sizes[-1] if len(sizes) > 1 else None
    loss = last.get("tps_loss_percent") if last else None
    found.append(
        _target(
            "intake loss at the largest size",
            "<= 10% below empty",
            None,
            0.10,
            None if loss is None else bool(loss <= 10),
        )
    )
    return found


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.1f}{unit}"
    if isinstance(value, int):
        return f"{value:,}{unit}"
    return f"{value}{unit}"


def _rows(figures: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    rows: list[tuple[str, str, str, str]] = []
    intake = figures.get("intake")
    if intake:
        rows.append(
            (
                f"1 intake, {intake['concurrency']} in flight, tps",
                _fmt(intake["tps"]),
                _fmt(_get(intake, "pgbench", "tps")) + " pgbench",
                _fmt(100 * intake["ratio"], "%"),
            )
        )
        rows.append(
            (
                "  latency p50 / p99 / p99.9",
                f"{intake['p50_ms']:.0f} / {intake['p99_ms']:.0f} / "
                f"{intake['p99_9_ms']:.0f} ms",
                _fmt(_get(intake, "pgbench", "mean_latency_ms"), " ms mean"),
                "",
            )
        )
    for key in ("e2e_steady", "e2e"):
        e2e = figures.get(key)
        if not e2e:
            continue
        settled = f"{e2e['settled_and_booked']}/{e2e['accepted']} settled+booked"
        rows.append(
            (
                f"2 end to end, {e2e['offered']} at {e2e['offered_per_s']:g}/s",
                settled,
                _fmt(e2e["settled_per_s_sustained"], "/s settled"),
                "",
            )
        )
        rows.append(
            (
                "  POST -> settled and booked p50 / p99",
                f"{_fmt(e2e['p50_ms'], ' ms')} / {_fmt(e2e['p99_ms'], ' ms')}",
                f"POST alone p99 {_fmt(e2e['post_p99_ms'], ' ms')}",
                "",
            )
        )
        rejected = {k: v for k, v in e2e["outcomes"].items() if k != "submitted"}
        if rejected:
            rows.append(("  not submitted", str(rejected), "", ""))
    rel = figures.get("relay")
    if rel:
        rows.append(
            (
                "3 relay, events/s",
                _fmt(rel["relay_events_per_s"]),
                _fmt(rel["raw_publish_batch_per_s"]) + " raw",
                _fmt(100 * rel["ratio"], "%"),
            )
        )
    for run in _get(figures, "posting", "runs") or []:
        rows.append(
            (
                f"4 posting, {run['threads']} thread(s), entries/s",
                _fmt(run["entries_per_s"]),
                _fmt(run["pgbench_entries_per_s"]) + " pgbench",
                _fmt(100 * run["ratio"], "%"),
            )
        )
    for row in figures.get("sizes") or []:
        loss = row.get("tps_loss_percent")
        rows.append(
            (
                f"5 intake at {_fmt(row['transfers_in_database'])} transfers",
                f"{_fmt(row['tps'])} tps, p99 {row['p99_ms']:.0f} ms",
                "" if loss is None else f"loss {loss:+.1f}% tps",
                "" if loss is None else f"p99 {row['p99_change_percent']:+.1f}%",
            )
        )
    return rows


def table(figures: dict[str, Any]) -> str:
    header = ("measurement", "Storo", "machine's limit", "ratio")
    rows = [header, *_rows(figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append("")
    for target in figures.get("targets", []):
        verdict = {True: "met", False: "MISSED", None: "not measured"}[target["met"]]
        lines.append(f"target {target['name']}: {target['target']}: {verdict}")
    machine = figures.get("machine", {})
    lines.append(
        f"\n{machine.get('cpu_model')}, {machine.get('cores')} cores, "
        f"{machine.get('ram_gib')} GiB, PostgreSQL {machine.get('postgresql')}, "
        f"moto {machine.get('moto')}, Python {machine.get('python')}; load average "
        f"at start {machine.get('load_average_at_start')}; run took "
        f"{figures.get('run_seconds')} s (fleet up {figures.get('fleet_up_seconds')} s)"
    )
    return "\n".join(lines)
