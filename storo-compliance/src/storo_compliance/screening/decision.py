"""From scored candidates to a decision, without touching storage."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from storo_compliance.matching.config import MatchConfig
from storo_compliance.matching.index import Candidate

Decision = Literal["clear", "review", "deny"]


@dataclass
class Outcome:
    decision: Decision
    score: int
    reason: str | None
    candidates: list[Candidate]


def decide(candidates: list[Candidate], config: MatchConfig) -> Outcome:
    """Ruled-out candidates are kept in the explanation but do not count."""
    live = [c for c in candidates if not c.ruled_out]
    score = max((c.score for c in live), default=0)
    decision: Decision = "clear"
    if score >= config.deny_threshold:
        decision = "deny"
    elif score >= config.review_threshold:
        decision = "review"
    shown = candidates[: config.max_candidates]
    return Outcome(decision, score, "match" if decision != "clear" else None, shown)
