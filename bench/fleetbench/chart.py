"""The PNG a person looks at: latency distributions and throughput over time."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # files only, no display

import matplotlib.pyplot as plt

from fleetbench import stats

COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]


def _latency_panel(ax: Any, series: dict[str, list[float]], title: str) -> None:
    """Sorted latencies against their percentile: every sample, tails included."""
    for (label, latencies), colour in zip(series.items(), COLOURS, strict=False):
        if not latencies:
            continue
        ordered = sorted(x * 1000 for x in latencies)
        ranks = [100 * (n + 1) / len(ordered) for n in range(len(ordered))]
        p99 = stats.percentile(ordered, 99)
        ax.plot(ranks, ordered, color=colour, label=f"{label} (p99 {p99:.0f} ms)")
    ax.set_yscale("log")
    ax.set_xlabel("percentile of requests")
    ax.set_ylabel("latency, ms (log)")
    ax.set_xlim(0, 100)
    ax.grid(True, which="both", alpha=0.3)
    ax.set_title(title)
    ax.legend(fontsize=8)


def _throughput_panel(ax: Any, series: dict[str, list[int]], title: str) -> None:
    for (label, counts), colour in zip(series.items(), COLOURS, strict=False):
        if counts:
            ax.plot(range(len(counts)), counts, color=colour, label=label)
    ax.set_xlabel("second of the run")
    ax.set_ylabel("per second")
    ax.grid(True, alpha=0.3)
    ax.set_title(title)
    ax.legend(fontsize=8)


def _ratio_panel(ax: Any, ratios: dict[str, tuple[float, float]]) -> None:
    labels = list(ratios)
    values = [100 * ratios[k][0] for k in labels]
    targets = [100 * ratios[k][1] for k in labels]
    bars = ax.barh(labels, values, color=COLOURS[0])
    for n, target in enumerate(targets):
        ax.plot([target, target], [n - 0.4, n + 0.4], color="#d62728", lw=2)
    for bar, value in zip(bars, values, strict=True):
        ax.text(
            bar.get_width() + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{value:.0f}%",
            va="center",
            fontsize=9,
        )
    ax.set_xlabel("% of the machine's own limit measured in the same run (red: target)")
    ax.set_xlim(0, max([*values, *targets, 100]) * 1.15)
    ax.invert_yaxis()
    ax.set_title("Storo beside this machine's limits")
    ax.grid(True, axis="x", alpha=0.3)


def redraw(out: Path) -> None:
    """Draw out/chart.png again from the run's out/plot.json and figures.json."""
    data = json.loads((out / "plot.json").read_text())
    figures = json.loads((out / "figures.json").read_text())
    data["ratios"] = {k: tuple(v) for k, v in data["ratios"].items()}
    draw(out / "chart.png", data, subtitle(figures))


def subtitle(figures: dict[str, Any]) -> str:
    machine = figures["machine"]
    return (
        f"{machine['cpu_model']}, {machine['cores']} cores, PostgreSQL "
        f"{machine['postgresql']}, moto {machine['moto']}  ·  {figures['measured_at']}"
    )


def draw(out: Path, data: dict[str, Any], subtitle: str) -> None:
    fig = plt.figure(figsize=(18, 10))
    grid = fig.add_gridspec(2, 3)
    _latency_panel(
        fig.add_subplot(grid[0, 0]),
        data["intake_latencies"],
        "Intake latency, POST /v1/transfers at fixed concurrency",
    )
    _throughput_panel(
        fig.add_subplot(grid[0, 1]),
        data["intake_throughput"],
        "Intake throughput over time (transfers accepted per second)",
    )
    _latency_panel(
        fig.add_subplot(grid[0, 2]),
        data["e2e_latencies"],
        "End to end latency, open loop at each offered rate",
    )
    _throughput_panel(
        fig.add_subplot(grid[1, 0]),
        data["e2e_throughput"],
        "End to end over time: offered, and settled and booked",
    )
    _ratio_panel(fig.add_subplot(grid[1, 1:]), data["ratios"])
    fig.suptitle(f"Storo fleet benchmark  ·  {subtitle}", fontsize=12)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    redraw(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("out"))
