"""Rule-outs: an operator proposes, a different operator approves.

A rule-out names a party (by its normalised name, type, date of birth and
country) and one list entry, and records the entry's fingerprint at the time.
Later screenings of the same party skip that candidate only while the live
entry still has that fingerprint; if the publisher changes the entry, the
candidate counts again and the explanation says why.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from sqlalchemy.orm import Session
from storo_platform.problems import Conflict, Forbidden, NotFound, Unprocessable
from storo_platform.rbac import Operator

from storo_compliance.clock import rfc3339, utcnow
from storo_compliance.lists import repository as lists_repository
from storo_compliance.matching.normalise import normalise
from storo_compliance.ruleouts import repository
from storo_compliance.ruleouts.schemas import RuleOutIn
from storo_compliance.screening.schemas import PartyIn


class SameOperatorCannotApprove(Forbidden):
    slug = "four-eyes"
    title = "A second operator must approve"


class RuleOutNotPending(Conflict):
    slug = "rule-out-not-pending"
    title = "The rule-out was already decided"


def party_key(party: PartyIn) -> str:
    name = normalise(party.name, organisation=party.type != "individual")
    dob = party.date_of_birth.isoformat() if party.date_of_birth else ""
    basis = f"{party.type}|{name.sorted_text}|{dob}|{party.country or ''}"
    return hashlib.sha256(basis.encode()).hexdigest()


def to_json(row: dict[str, Any]) -> dict[str, Any]:
    """The contract's RuleOut fields, plus the four-eyes state."""
    return {
        "rule_out_id": str(row["id"]),
        "created_by": row["requested_by"],
        "created_at": rfc3339(row["requested_at"]),
        "expires_at": rfc3339(row["expires_at"]) if row["expires_at"] else None,
        "party": row["party"],
        "list": row["list"],
        "entry_id": row["entry_id"],
        "entry_fingerprint": row["entry_fingerprint"],
        "reason": row["reason"],
        "status": row["status"],
        "requested_by": row["requested_by"],
        "requested_at": rfc3339(row["requested_at"]),
        "decided_by": row["decided_by"],
        "decided_at": rfc3339(row["decided_at"]) if row["decided_at"] else None,
    }


def propose(session: Session, body: RuleOutIn, operator: Operator) -> dict[str, Any]:
    entry = lists_repository.active_entry(session, body.list, body.entry_id)
    if entry is None:
        raise Unprocessable(
            f"{body.list} has no live entry {body.entry_id!r}", rule="unknown_entry"
        )
    row = {
        "id": uuid.uuid4(),
        "party_key": party_key(body.party),
        "party": body.party.model_dump(mode="json"),
        "list": body.list,
        "entry_id": body.entry_id,
        "entry_fingerprint": entry["fingerprint"],
        "reason": body.reason,
        "status": "pending",
        "requested_by": operator.id,
        "requested_at": utcnow(),
        "decided_by": None,
        "decided_at": None,
        "expires_at": body.expires_at,
    }
    repository.insert(session, row)
    return to_json(row)


def revoke(session: Session, rule_out_id: uuid.UUID, operator: Operator) -> None:
    row = repository.get(session, rule_out_id, lock=True)
    if row is None:
        raise NotFound(f"no rule-out {rule_out_id}")
    repository.decide(
        session,
        rule_out_id,
        status="revoked",
        decided_by=operator.id,
        decided_at=utcnow(),
    )


def decide(
    session: Session, rule_out_id: uuid.UUID, operator: Operator, *, approve: bool
) -> dict[str, Any]:
    row = repository.get(session, rule_out_id, lock=True)
    if row is None:
        raise NotFound(f"no rule-out {rule_out_id}")
    if row["status"] != "pending":
        raise RuleOutNotPending(f"rule-out {rule_out_id} is {row['status']}")
    if row["requested_by"] == operator.id:
        raise SameOperatorCannotApprove(
            f"operator {operator.id!r} proposed this rule-out and cannot decide it"
        )
    values = {
        "status": "approved" if approve else "rejected",
        "decided_by": operator.id,
        "decided_at": utcnow(),
    }
    repository.decide(session, rule_out_id, **values)
    return to_json({**row, **values})
