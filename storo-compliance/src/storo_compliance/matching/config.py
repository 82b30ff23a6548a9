"""Matching thresholds and weights; the service settings fill these in."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class MatchConfig:
    deny_threshold: int = 92  # final score at or above: decision "deny"
    review_threshold: int = 76  # at or above (below deny): decision "review"
    candidate_floor: int = 70  # lowest score still reported as a candidate
    token_floor: float = 0.80  # Jaro-Winkler below this counts as no match
    max_candidates: int = 10  # candidates reported per screening
    retrieval_limit: int = 150  # names kept per query after blocking
    score_limit: int = 30  # of those, names given the full token alignment
    dob_exact_bonus: int = 6
    dob_year_bonus: int = 3
    dob_mismatch_penalty: int = 15
    country_match_bonus: int = 3
    country_mismatch_penalty: int = 3
    subject_mismatch_penalty: int = 25
    weak_alias_penalty: int = 5
    single_token_cap: int = 72  # a one-word query cannot outscore this

    def to_json(self) -> dict[str, object]:
        return asdict(self)
