"""Routes: propose, approve, reject and list false-positive rule-outs."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
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


@router.get("")
def listing(session: Tx, _: Reader, status: str | None = None) -> dict[str, Any]:
    rows = repository.listing(session, status)
    return {"rule_outs": [service.to_json(r) for r in rows]}
