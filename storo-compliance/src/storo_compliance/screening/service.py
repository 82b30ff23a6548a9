"""Screening one party: freshness, matching, rule-outs, decision, record."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from storo_otel import get_logger

from storo_compliance.clock import rfc3339
from storo_compliance.lists import freshness
from storo_compliance.lists import repository as lists_repository
from storo_compliance.matching.index import Candidate, Query
from storo_compliance.ruleouts import repository as ruleouts_repository
from storo_compliance.ruleouts.service import party_key
from storo_compliance.screening import repository
from storo_compliance.screening.decision import decide
from storo_compliance.screening.holder import IndexHolder
from storo_compliance.screening.schemas import ScreeningIn
from storo_compliance.settings import ComplianceSettings

log = get_logger(__name__)


def _apply_rule_outs(
    candidates: list[Candidate], rules: list[dict[str, Any]]
) -> list[Candidate]:
    by_entry = {(r["list"], r["entry_id"]): r for r in rules}
    for candidate in candidates:
        rule = by_entry.get((candidate.list, candidate.entry_id))
        if rule is None:
            continue
        if rule["entry_fingerprint"] == candidate.fingerprint:
            candidate.ruled_out = True
            candidate.reasons.append(
                f"ruled out as a false positive for this party by rule-out "
                f"{rule['id']} (proposed by {rule['requested_by']}, approved by "
                f"{rule['decided_by']}); the list entry is unchanged since, so it "
                "does not count"
            )
        else:
            candidate.reasons.append(
                f"rule-out {rule['id']} exists for this party but the list entry "
                "has changed since it was approved, so it no longer applies"
            )
    return candidates


def screen(
    session: Session,
    holder: IndexHolder,
    settings: ComplianceSettings,
    body: ScreeningIn,
    now: datetime,
) -> dict[str, Any]:
    config = settings.match_config()
    active = lists_repository.active_versions(session)
    lists = freshness.evaluate(active, settings, now)
    blocking = freshness.blocking(lists, settings)
    index = holder.current(session, active)
    party = body.party
    query = Query(party.name, party.type, party.country, party.date_of_birth)
    candidates = index.screen(query, config)
    if candidates:
        rules = ruleouts_repository.approved_for(session, party_key(party), now)
        candidates = _apply_rule_outs(candidates, rules)
    outcome = decide(candidates, config)
    decision, reason = outcome.decision, outcome.reason
    if blocking:
        # Fail closed: whatever the names say, a stale or missing list denies.
        decision, reason = "deny", "list_stale"
    screening_id = uuid.uuid4()
    shown = [
        {
            "list": c.list,
            "entry_id": c.entry_id,
            "matched_name": c.matched_name,
            "name_kind": c.name_kind,
            "score": c.score,
            "reasons": c.reasons,
        }
        for c in outcome.candidates
    ]
    stored_candidates = [
        {**s, "fingerprint": c.fingerprint, "ruled_out": c.ruled_out}
        for s, c in zip(shown, outcome.candidates, strict=True)
    ]
    versions = {r["list"]: r["version"] for r in active}
    repository.insert(
        session,
        {
            "id": screening_id,
            "reference": body.reference,
            "party": body.model_dump(mode="json")["party"],
            "decision": decision,
            "score": outcome.score,
            "reason": reason,
            "candidates": stored_candidates,
            "list_versions": {
                r["list"]: {
                    "version": r["version"],
                    "sha256": r["sha256"],
                    "published_at": r["published_at"].isoformat()
                    if r["published_at"]
                    else None,
                    "loaded_at": rfc3339(r["loaded_at"]),
                    "entry_count": r["entry_count"],
                }
                for r in active
            },
            "freshness": [f.to_json() for f in lists],
            "config": {**config.to_json(), "blocking_lists": blocking},
            "screened_at": now,
        },
    )
    log.info(
        "screening.done",
        screening_id=str(screening_id),
        decision=decision,
        score=outcome.score,
        candidates=len(shown),
        reason=reason,
    )
    return {
        "screening_id": str(screening_id),
        "decision": decision,
        "score": outcome.score,
        "reason": reason,
        "candidates": shown,
        "list_versions": versions,
        "screened_at": rfc3339(now),
    }


def stored_json(row: dict[str, Any]) -> dict[str, Any]:
    """A stored screening: the response as given (ScreeningResult) plus what an
    auditor needs to replay it (input, list hashes, freshness, thresholds)."""
    details = row["list_versions"]
    return {
        "screening_id": str(row["id"]),
        "decision": row["decision"],
        "score": row["score"],
        "reason": row["reason"],
        "candidates": row["candidates"],
        "list_versions": {name: v["version"] for name, v in details.items()},
        "screened_at": rfc3339(row["screened_at"]),
        "reference": row["reference"],
        "input": {"party": row["party"], "reference": row["reference"]},
        "list_details": details,
        "freshness": row["freshness"],
        "config": row["config"],
    }


def evidence(session: Session, reference: str) -> list[dict[str, Any]]:
    return [stored_json(r) for r in repository.by_reference(session, reference)]
