"""What the devstack says while it works: one line per step, failures with a remedy."""

from __future__ import annotations

import sys
from collections.abc import Sequence


class DevstackError(Exception):
    """A step failed; the message says what to do about it."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def detail(message: str) -> None:
    print(f"    {message}", flush=True)


def warn(message: str) -> None:
    print(f"!!  {message}", file=sys.stderr, flush=True)


def table(rows: Sequence[tuple[str, ...]], header: tuple[str, ...]) -> str:
    widths = [
        max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))
    ]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = zip(row, widths, strict=True)
        lines.append("  ".join(str(cell).ljust(w) for cell, w in cells))
    return "\n".join(lines)
