"""A sampling profile of the running CTS during an intake run, summarised.

py-spy attaches to the API process from outside (no change to the service) and
samples, a hundred times a second, the stack of whichever thread holds the GIL
(``--gil``): the samples are the process's Python CPU time, which is what limits
one uvicorn process. Its "raw" output is one line per distinct stack with a
count. The summary gives, per part of the intake path, the share of samples whose
stack passes through it (a stack can be in several), and the frames where the
samples were taken (own time).
"""

from __future__ import annotations

import collections
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

# The phases of one intake: the share of samples whose stack passes through them.
PHASES = {
    "screening both parties (ComplianceClient.screen)": "client.py:screen",
    "quoting (DirectoryClient.quote)": "client.py:quote",
    "the write transaction (transfers.api._write)": "api.py:_write",
    "  of which outbox envelopes (storo_outbox emit)": "envelope.py:emit",
    "  of which status changes (Recorder.transition)": "timeline.py:transition",
    "replay check before the calls (Intake.peek)": "dependencies.py:peek",
}
# The layers: each sample goes to the innermost frame that belongs to one of them.
LAYERS = {
    "psycopg (PostgreSQL protocol)": ("psycopg/",),
    "SQLAlchemy (building, executing)": ("sqlalchemy/",),
    "httpx, httpcore, anyio (outgoing HTTP)": ("httpx/", "httpcore/", "anyio/"),
    "logging (structlog, logging)": ("structlog/", "logging/"),
    "JSON": ("json/",),
    "pydantic": ("pydantic",),
    "metrics, tracing": ("prometheus_client/", "opentelemetry/"),
    "storo libraries (outbox, otel, platform)": (
        "storo_outbox/",
        "storo_otel/",
        "storo_platform/",
    ),
    "storo_cts": ("storo_cts/",),
    "FastAPI, Starlette": ("fastapi/", "starlette/"),
    "uvicorn": ("uvicorn/",),
    "asyncio, threading": ("asyncio/", "threading.py", "concurrent/"),
}


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    return found


def start(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            py_spy(),
            "record",
            "--pid",
            str(pid),
            "--duration",
            str(int(seconds)),
            "--rate",
            "100",
            "--gil",
            "--format",
            "raw",
            "--nonblocking",
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def summarise(raw: Path, top: int = 12) -> dict[str, Any]:
    if not raw.exists():
        return {"error": "py-spy wrote no profile (is ptrace allowed here?)"}
    stacks: list[tuple[str, int]] = []
    for line in raw.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if stack and number.isdigit():
            stacks.append((stack, int(number)))
    total = sum(count for _, count in stacks)
    if not total:
        return {"error": "the profile holds no samples"}

    def share(needle: str) -> float:
        hit = sum(count for stack, count in stacks if _matches(stack, needle))
        return round(100 * hit / total, 1)

    own: collections.Counter[str] = collections.Counter()
    layers: collections.Counter[str] = collections.Counter()
    for stack, count in stacks:
        own[stack.rsplit(";", 1)[-1]] += count
        layers[_layer(stack)] += count
    return {
        "mode": "py-spy --gil: Python CPU time of the CTS API process",
        "samples": total,
        "seconds_of_cpu": round(total / 100, 1),
        "phases_percent": {label: share(needle) for label, needle in PHASES.items()},
        "layers_percent": {
            layer: round(100 * count / total, 1)
            for layer, count in layers.most_common()
        },
        "own_time_top": [
            [frame, round(100 * count / total, 1)]
            for frame, count in own.most_common(top)
        ],
    }


def _matches(stack: str, needle: str) -> bool:
    """``file.py:function``: a frame of that function (or method) in that file."""
    file, function = needle.split(":")
    for frame in stack.split(";"):
        name, _, where = frame.partition(" (")
        if name.rsplit(".", 1)[-1] == function and f"/{file}:" in where:
            return True
    return False


def _layer(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        where = frame.partition(" (")[2]
        for layer, marks in LAYERS.items():
            if any(mark in where for mark in marks):
                return layer
    return "other (interpreter, imports)"
