"""A journal line and the arithmetic every entry must satisfy.

A line is ``phase`` pending or posted: pending lines move the pending columns of a
balance (holds and their release), posted lines move the posted columns. Every entry
balances per currency within each phase, so the trial balance of either phase is zero.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Side = Literal["debit", "credit"]
Phase = Literal["pending", "posted"]


class EntryUnbalanced(ValueError):
    """The lines of an entry do not sum to zero in some currency and phase."""

    def __init__(self, imbalances: dict[tuple[str, str], int]) -> None:
        text = ", ".join(
            f"{cur}/{phase}: {net:+d}" for (cur, phase), net in imbalances.items()
        )
        super().__init__(f"entry does not balance ({text})")
        self.imbalances = imbalances


@dataclass(frozen=True)
class Line:
    account: str
    side: Side
    phase: Phase
    amount: int
    currency: str

    def __post_init__(self) -> None:
        if self.amount <= 0:
            raise ValueError(f"a line carries a positive amount, got {self.amount}")

    def mirrored(self) -> Line:
        """The same line on the other side: what releases or reverses it."""
        other: Side = "credit" if self.side == "debit" else "debit"
        return Line(self.account, other, self.phase, self.amount, self.currency)


@dataclass(frozen=True)
class Delta:
    """What one entry adds to one balance row."""

    account: str
    debits_posted: int = 0
    credits_posted: int = 0
    debits_pending: int = 0
    credits_pending: int = 0


def combine(lines: Iterable[Line]) -> list[Line]:
    """Merge lines that hit the same account, side and phase, keeping first order."""
    totals: dict[tuple[str, Side, Phase, str], int] = {}
    for line in lines:
        key = (line.account, line.side, line.phase, line.currency)
        totals[key] = totals.get(key, 0) + line.amount
    return [Line(a, s, p, amount, c) for (a, s, p, c), amount in totals.items()]


def check_balanced(lines: Sequence[Line]) -> None:
    if not lines:
        raise ValueError("an entry has at least one line")
    net: dict[tuple[str, str], int] = defaultdict(int)
    for line in lines:
        sign = 1 if line.side == "debit" else -1
        net[(line.currency, line.phase)] += sign * line.amount
    off = {key: value for key, value in net.items() if value}
    if off:
        raise EntryUnbalanced(off)


def deltas(lines: Iterable[Line]) -> list[Delta]:
    """One delta per account, in account order (the order rows are locked in)."""
    sums: dict[str, list[int]] = {}
    for line in lines:
        row = sums.setdefault(line.account, [0, 0, 0, 0])
        index = (0 if line.side == "debit" else 1) + (
            0 if line.phase == "posted" else 2
        )
        row[index] += line.amount
    return [Delta(account, *sums[account]) for account in sorted(sums)]
