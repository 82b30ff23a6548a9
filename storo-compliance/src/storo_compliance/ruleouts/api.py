"""Routes: propose, approve, reject and list false-positive rule-outs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from storo_platform.rbac import Operator, require

from storo_compliance.deps import Tx
from storo_compliance.ruleouts import repository, service
from storo_compliance.ruleouts.schemas import RuleOutIn

router = APIRouter(prefix="/v1/rule-outs", tags=["rule-outs"])
Reviewer = Annotated[Operator, Depends(require("compliance:review"))]
Reader = Annotated[Operator, Depends(require("compliance:read"))]


@router.post("", status_code=201)
def propose(body: RuleOutIn, session: Tx, operator: Reviewer) -> dict[str, Any]:
    return service.propose(session, body, operator)


@router.post("/{rule_out_id}/approve")
def approve(rule_out_id: uuid.UUID, session: Tx, operator: Reviewer) -> dict[str, Any]:
    return service.decide(session, rule_out_id, operator, approve=True)


@router.post("/{rule_out_id}/reject")
def reject(rule_out_id: uuid.UUID, session: Tx, operator: Reviewer) -> dict[str, Any]:
    return service.decide(session, rule_out_id, operator, approve=False)


@router.delete("/{rule_out_id}", status_code=204)
def revoke(rule_out_id: uuid.UUID, session: Tx, operator: Reviewer) -> Response:
    service.revoke(session, rule_out_id, operator)
    return Response(status_code=204)


@router.get("")
def listing(
    session: Tx,
    _: Reader,
    status: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    # The cursor is an opaque offset; rule-outs are few and listed newest first.
    offset = int(cursor) if cursor and cursor.isdigit() else 0
    rows = repository.listing(session, status, offset, limit + 1)
    more = len(rows) > limit
    return {
        "items": [service.to_json(r) for r in rows[:limit]],
        "next_cursor": str(offset + limit) if more else None,
    }
