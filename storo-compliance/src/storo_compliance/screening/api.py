"""Routes: screening, a stored screening, evidence for a transfer."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from storo_platform.problems import NotFound
from storo_platform.rbac import Operator, require

from storo_compliance import __version__
from storo_compliance.clock import rfc3339, utcnow
from storo_compliance.db import transaction
from storo_compliance.deps import AppState, Tx
from storo_compliance.screening import repository, service
from storo_compliance.screening.schemas import ScreeningIn, ScreeningOut
from storo_compliance.settings import SERVICE

router = APIRouter(prefix="/v1", tags=["screening"])
Reader = Annotated[Operator, Depends(require("compliance:read"))]


@router.post("/screenings", response_model=ScreeningOut)
def post_screening(body: ScreeningIn, app: AppState) -> dict[str, Any]:
    # The transaction opens and ends inside the route's own thread. Held by a yield
    # dependency instead, the connection of a request whose client gave up (CTS's
    # timeout, under a burst) was never handed back: the pool emptied and every later
    # screening failed until a restart.
    with transaction(app.sessions) as session:
        return service.screen(session, app.holder, app.settings, body, utcnow())


@router.get("/screenings/{screening_id}")
def get_screening(screening_id: uuid.UUID, session: Tx, _: Reader) -> dict[str, Any]:
    row = repository.get(session, screening_id)
    if row is None:
        raise NotFound(f"no screening {screening_id}")
    return service.stored_json(row)


@router.get("/evidence/{reference}")
def get_evidence(reference: str, session: Tx, _: Reader) -> dict[str, Any]:
    """Everything needed to replay why a transfer was (or was not) stopped."""
    found = service.evidence(session, reference)
    if not found:
        raise NotFound(f"no screening was recorded for reference {reference!r}")
    return {
        "reference": reference,
        "exported_at": rfc3339(utcnow()),
        "service": {"name": SERVICE, "version": __version__},
        "screenings": found,
    }
