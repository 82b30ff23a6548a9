"""The transfer routes: create (idempotent), read one, list, timeline."""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from storo_outbox import (
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    request_fingerprint,
)
from storo_platform.problems import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    Unprocessable,
)

from storo_cts.dependencies import Intake
from storo_cts.quoting.client import QuoteRefused
from storo_cts.transfers import repository
from storo_cts.transfers.schemas import (
    Rail,
    Transfer,
    TransferCreate,
    TransferPage,
    TransferTimeline,
)
from storo_cts.transfers.service import Checks, record_intake, run_checks
from storo_cts.transfers.states import Status
from storo_cts.transfers.timeline import wire_time
from storo_cts.transfers.validation import amount_of
from storo_cts.transfers.views import timeline_view, transfer_view

router = APIRouter(prefix="/v1", tags=["transfers"])

PROBLEM: dict[str, Any] = {"content": {"application/problem+json": {}}}
KEY_HEADER = "header:Idempotency-Key"
REPLAYED = "Idempotent-Replayed"

IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="A client-chosen key; the same key and body replay the response.",
    ),
]
# A string, not a UUID type: an id that is not a UUID names no transfer (404), as
# storo-specs' document has it, rather than failing validation.
TransferId = Annotated[str, Path(max_length=64, description="The transfer's id.")]


def _transfer_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise NotFound(f"No transfer {raw}.") from None


def _intake(request: Request) -> Intake:
    intake: Intake = request.app.state.intake
    return intake


def _reused(key: str) -> Unprocessable:
    return Unprocessable(
        "The Idempotency-Key was first used with another request body.",
        errors=[
            FieldError(
                KEY_HEADER,
                "idempotency_key_reused",
                "This key belongs to a request with another body; use a new key.",
            )
        ],
    )


def _replay(status: int, body: dict[str, Any], headers: dict[str, str]) -> JSONResponse:
    return JSONResponse(body, status_code=status, headers={**headers, REPLAYED: "true"})


@router.post(
    "/transfers",
    status_code=201,
    operation_id="createTransfer",
    response_model=Transfer,
    summary="Create a transfer",
    responses={
        400: PROBLEM,
        409: PROBLEM,
        413: PROBLEM,
        422: PROBLEM,
        503: PROBLEM,
    },
)
async def create_transfer(
    request: Request, body: TransferCreate, idempotency_key: IdempotencyKey
) -> JSONResponse:
    intake = _intake(request)
    amount = amount_of(body, intake.limits)
    fingerprint = request_fingerprint("POST", request.url.path, await request.body())

    stored = await run_in_threadpool(intake.peek, idempotency_key)
    if stored is not None and stored.status is not None:
        if stored.fingerprint != fingerprint:
            raise _reused(idempotency_key)
        return _replay(stored.status, stored.body or {}, stored.headers or {})

    transfer_id = uuid.uuid4()
    try:
        checks = await run_checks(
            intake.compliance, intake.directory, body, transfer_id
        )
    except QuoteRefused as exc:
        raise Unprocessable(
            "The transfer cannot be routed as requested.",
            errors=[FieldError(f, r, m or r) for f, r, m in exc.errors],
        ) from exc
    return await run_in_threadpool(
        _write, intake, idempotency_key, fingerprint, transfer_id, body, amount, checks
    )


def _write(
    intake: Intake,
    key: str,
    fingerprint: str,
    transfer_id: uuid.UUID,
    body: TransferCreate,
    amount: Any,
    checks: Checks,
) -> JSONResponse:
    try:
        with intake.sessions.begin() as session:
            replay = intake.keys.begin(session, key, fingerprint)
            if replay is not None:
                return _replay(replay.status, replay.body, replay.headers)
            view = record_intake(
                session,
                transfer_id=transfer_id,
                idempotency_key=key,
                request=body,
                amount=amount,
                checks=checks,
                now=datetime.now(UTC),
            )
            headers = {"Location": f"/v1/transfers/{transfer_id}"}
            intake.keys.complete(session, key, 201, view, headers)
    except IdempotencyKeyReused as exc:
        raise _reused(key) from exc
    except IntegrityError as exc:
        # transfers.idempotency_key is unique on its own, so a key stays bound to
        # its transfer even after the idempotency library pruned the key's row.
        if "transfers_idempotency_key_key" not in str(exc.orig):
            raise
        raise Conflict(
            "This Idempotency-Key already created a transfer; use a new key."
        ) from exc
    except IdempotencyKeyInProgress as exc:
        raise Conflict("A request with this Idempotency-Key is in progress.") from exc
    return JSONResponse(view, status_code=201, headers=headers)


@router.get(
    "/transfers/{transfer_id}",
    response_model=Transfer,
    operation_id="getTransfer",
    summary="Read a transfer",
    responses={404: PROBLEM},
)
def get_transfer(request: Request, transfer_id: TransferId) -> JSONResponse:
    intake = _intake(request)
    with intake.sessions() as session:
        found = repository.get_transfer(session, _transfer_id(transfer_id))
    if found is None:
        raise NotFound(f"No transfer {transfer_id}.")
    return JSONResponse(transfer_view(*found))


def _encode_cursor(created_at: datetime, transfer_id: uuid.UUID) -> str:
    raw = f"{wire_time(created_at)}|{transfer_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        stamp, raw_id = text.split("|")
        created_at = datetime.fromisoformat(stamp)
        if created_at.tzinfo is None:
            raise ValueError("cursor time without zone")
        return created_at, uuid.UUID(raw_id)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise BadRequest(
            "The cursor is not one this API handed out.",
            errors=[FieldError("query:cursor", "invalid_cursor", "Unknown cursor.")],
        ) from exc


@router.get(
    "/transfers",
    response_model=TransferPage,
    operation_id="listTransfers",
    summary="List transfers, newest first",
    responses={400: PROBLEM},
)
def list_transfers(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(min_length=1, max_length=512)] = None,
    status: Status | None = None,
    rail: Rail | None = None,
    created_gte: datetime | None = None,
    created_lt: datetime | None = None,
) -> JSONResponse:
    intake = _intake(request)
    for name, moment in (("created_gte", created_gte), ("created_lt", created_lt)):
        if moment is not None and moment.tzinfo is None:
            # A time without an offset means nothing certain to a UTC database.
            raise BadRequest(
                f"{name} needs a time zone (e.g. 2026-12-03T10:00:00Z).",
                errors=[
                    FieldError(f"query:{name}", "timezone_required", "Add Z or +02:00.")
                ],
            )
    after = _decode_cursor(cursor) if cursor is not None else None
    filters = repository.ListFilter(
        status=status.value if status is not None else None,
        rail=rail,
        created_gte=created_gte,
        created_lt=created_lt,
    )
    with intake.sessions() as session:
        # One row more than asked tells whether another page exists.
        found = repository.list_transfers(
            session, filters, after=after, limit=limit + 1
        )
    page, more = found[:limit], len(found) > limit
    next_cursor = None
    if more:
        last = page[-1][0]
        next_cursor = _encode_cursor(last["created_at"], last["id"])
    return JSONResponse(
        {"items": [transfer_view(r, q) for r, q in page], "next_cursor": next_cursor}
    )


@router.get(
    "/transfers/{transfer_id}/events",
    operation_id="getTransferTimeline",
    response_model=TransferTimeline,
    summary="The events a transfer emitted and consumed, oldest first",
    responses={404: PROBLEM},
)
def get_timeline(request: Request, transfer_id: TransferId) -> JSONResponse:
    intake = _intake(request)
    found_id = _transfer_id(transfer_id)
    with intake.sessions() as session:
        rows = repository.get_timeline(session, found_id)
    if rows is None:
        raise NotFound(f"No transfer {transfer_id}.")
    return JSONResponse(
        {"transfer_id": str(found_id), "events": [timeline_view(r) for r in rows]}
    )
