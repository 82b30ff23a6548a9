"""Scores between a normalised query name and a listed name, with reasons.

Two rapidfuzz measures are combined: Jaro-Winkler per token (typos, and
transliteration variants once tokens share a phonetic skeleton) aligned as sets
so that word order does not matter, and a Jaro-Winkler over the joined name so
that "Abdulrahman" meets "Abdul Rahman". Token coverage is measured both ways:
how much of the query the listed name explains and how much of the listed name
the query explains, so a missing middle name costs some points, not the match.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import token_sort_ratio

from storo_compliance.matching.config import MatchConfig
from storo_compliance.matching.normalise import PARTICLES, NormalName, skeleton

_PARTICLE_WEIGHT = 0.25


@dataclass(frozen=True)
class NameScore:
    score: float  # 0..100
    query_coverage: float
    listed_coverage: float
    token_sort: float
    missing: tuple[str, ...]  # listed tokens the query did not match


def token_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if len(a) == 1 or len(b) == 1:
        # An initial stands for a name starting with that letter.
        return 0.85 if a[0] == b[0] else 0.0
    sim = JaroWinkler.normalized_similarity(a, b)
    # Same phonetic skeleton lifts a plausible variant (Youssef/Yusuf), but only
    # one that already looks alike: short skeletons collide by chance.
    if 0.7 <= sim < 0.92 and len(a) > 2 and len(b) > 2:
        sa, sb = skeleton(a), skeleton(b)
        if sa == sb and len(sa) >= 3:
            sim = 0.92
    return float(sim)


def _coverage(
    source: tuple[str, ...], target: tuple[str, ...], floor: float
) -> tuple[float, list[str]]:
    total = 0.0
    got = 0.0
    unmatched: list[str] = []
    for token in source:
        weight = _PARTICLE_WEIGHT if token in PARTICLES else 1.0
        best = max((token_similarity(token, other) for other in target), default=0.0)
        total += weight
        if best >= floor:
            got += weight * best
        elif weight == 1.0:
            unmatched.append(token)
    return (got / total if total else 0.0), unmatched


def score_names(
    query: NormalName, listed: NormalName, config: MatchConfig
) -> NameScore:
    floor = config.token_floor
    q_cov, _ = _coverage(query.tokens, listed.tokens, floor)
    l_cov, missing = _coverage(listed.tokens, query.tokens, floor)
    aligned = 100.0 * (0.55 * q_cov + 0.45 * l_cov)
    joined = 100.0 * JaroWinkler.normalized_similarity(
        "".join(query.core), "".join(listed.core)
    )
    sort = token_sort_ratio(query.sorted_text, listed.sorted_text)
    # The joined comparison only rescues spacing differences; it is trusted
    # when it is very close and is kept a little below an aligned exact match.
    score = max(aligned, joined - 4.0 if joined >= 94.0 else 0.0)
    if len(query.core) == 1 and len(listed.core) > 1:
        score = min(score, float(config.single_token_cap))
    return NameScore(score, q_cov, l_cov, sort, tuple(missing))
