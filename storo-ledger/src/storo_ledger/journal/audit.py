"""Proving the books were not altered: the hash chain, and balances against lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from storo_ledger.journal import hashchain, repository


@dataclass(frozen=True)
class Report:
    entries_checked: int
    first_break: hashchain.Break | None
    balance_mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.first_break is None and not self.balance_mismatches


def verify(session: Session, *, batch: int = 1000) -> Report:
    """Recompute every entry's hash in sequence order; stop at the first break.

    The balances check compares each running balance row with the sum of its lines,
    which catches an edit of a balance row that the chain itself does not cover.
    """
    state = hashchain.verify(
        e.stored() for e in repository.iter_entries(session, batch)
    )
    return Report(
        entries_checked=state.checked,
        first_break=state.first_break,
        balance_mismatches=repository.balance_mismatches(session),
    )
