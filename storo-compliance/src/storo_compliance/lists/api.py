"""Routes: list freshness, versions, ingest jobs."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Response
from storo_platform.problems import NotFound, Unprocessable
from storo_platform.rbac import Operator, require

from storo_compliance.clock import rfc3339, utcnow
from storo_compliance.deps import AppState, Tx
from storo_compliance.lists import freshness, repository, service
from storo_compliance.lists.model import LIST_NAMES, ListName
from storo_compliance.lists.schemas import IngestIn

router = APIRouter(prefix="/v1", tags=["lists"])


def _version_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": row["version"],
        "publisher_version": row["publisher_version"],
        "published_at": row["published_at"].isoformat()
        if row["published_at"]
        else None,
        "loaded_at": rfc3339(row["loaded_at"]),
        "confirmed_at": rfc3339(row["confirmed_at"]),
        "entry_count": row["entry_count"],
        "sha256": row["sha256"],
        "source": row["source"],
        "active": row["active"],
    }


def job_json(row: dict[str, Any]) -> dict[str, Any]:
    error = None
    if row["status"] == "failed":
        error = {
            "file": row["error_file"],
            "line": row["error_line"],
            "reason": row["error_reason"],
        }
    return {
        "job_id": str(row["id"]),
        "list": row["list"],
        "source": row["source"],
        "status": row["status"],
        "processed": row["processed"],
        "total": row["total"],
        "error": error,
        "created_at": rfc3339(row["created_at"]),
        "finished_at": rfc3339(row["finished_at"]) if row["finished_at"] else None,
    }


def _list_name(name: str) -> ListName:
    if name not in LIST_NAMES:
        raise NotFound(f"no list named {name!r}; lists: {', '.join(LIST_NAMES)}")
    return name


@router.get("/lists")
def get_lists(session: Tx, app: AppState) -> dict[str, Any]:
    lists = freshness.evaluate(
        repository.active_versions(session), app.settings, utcnow()
    )
    blocking = freshness.blocking(lists, app.settings)
    # A list never loaded has no version to show; it is named in "missing" (and
    # in "blocking" when required) rather than given an entry without one.
    return {
        "fresh": not blocking,
        "blocking": blocking,
        "missing": [f.list for f in lists if f.state == "missing"],
        "lists": [f.to_json() for f in lists if f.state != "missing"],
    }


@router.get("/lists/{name}/versions")
def get_versions(name: str, session: Tx) -> dict[str, Any]:
    list_name = _list_name(name)
    rows = repository.versions(session, list_name)
    return {"list": list_name, "versions": [_version_json(r) for r in rows]}


@router.post("/lists/{name}/ingestions", status_code=202)
def post_ingestion(
    name: str,
    body: IngestIn,
    app: AppState,
    background: BackgroundTasks,
    response: Response,
    operator: Annotated[Operator, Depends(require("compliance:lists:load"))],
) -> dict[str, Any]:
    list_name = _list_name(name)
    source = body.source
    if not source.startswith("s3://"):
        root = app.settings.ingest_root
        if root is None:
            raise Unprocessable(
                "file paths are not accepted here; use an s3:// source",
                rule="path_not_allowed",
            )
        resolved = (Path(root) / source).resolve()
        if not resolved.is_relative_to(Path(root).resolve()):
            raise Unprocessable("the path leaves the ingest root", rule="path_escape")
        source = str(resolved)
    job_id = service.new_job(app.engine, list_name, source, operator.id)
    background.add_task(
        service.run_job,
        app.engine,
        app.sessions,
        job_id,
        list_name,
        source,
        s3=app.s3,
        batch_size=app.settings.ingest_batch_size,
    )
    response.headers["Location"] = f"/v1/ingestions/{job_id}"
    with app.engine.connect() as conn:
        row = repository.get_job(conn, job_id)
    assert row is not None
    return job_json(row)


@router.get("/ingestions/{job_id}")
def get_ingestion(
    job_id: uuid.UUID,
    session: Tx,
    _: Annotated[Operator, Depends(require("compliance:read"))],
) -> dict[str, Any]:
    row = repository.get_job(session, job_id)
    if row is None:
        raise NotFound(f"no ingestion job {job_id}")
    return job_json(row)
