"""Ingest: read, parse whole, then replace the list in one transaction.

The file is parsed completely before anything is written, so a bad file is
refused whole (the job records the file, line and reason) and the live version
is untouched. A good file is written as a new version whose entries are
inserted in batches, and the old version is switched off and the new one on
in the same transaction as the `compliance.lists.refreshed` outbox row: readers
see either the old list or the new one, never a mix.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_otel import get_logger
from storo_outbox import emit

from storo_compliance.clock import rfc3339, utcnow
from storo_compliance.db import transaction
from storo_compliance.lists import repository
from storo_compliance.lists.model import ListFileInvalid, ListName, ParsedList
from storo_compliance.lists.parsers import PARSERS
from storo_compliance.lists.sources import S3Factory, SourceUnreadable, read_source
from storo_compliance.settings import SCHEMA, SERVICE

log = get_logger(__name__)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class IngestResult:
    job_id: uuid.UUID
    status: str  # "loaded" | "unchanged" | "failed"
    version: str | None = None
    entry_count: int = 0
    error: str | None = None


def refreshed_event(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "list": row["list"],
        "version": row["version"],
        "published_at": row["published_at"].isoformat()
        if row["published_at"]
        else None,
        "loaded_at": rfc3339(row["loaded_at"]),
        "entry_count": row["entry_count"],
        "sha256": row["sha256"],
    }


def new_job(
    engine: Engine, list_name: ListName, source: str, requested_by: str | None
) -> uuid.UUID:
    with engine.begin() as conn:
        return repository.create_job(conn, list_name, source, requested_by, utcnow())


def run_job(
    engine: Engine,
    sessions: sessionmaker[Session],
    job_id: uuid.UUID,
    list_name: ListName,
    source: str,
    *,
    s3: S3Factory,
    batch_size: int = 1000,
    progress: Progress = lambda _: None,
) -> IngestResult:
    def report(**values: Any) -> None:
        with engine.begin() as conn:
            repository.update_job(conn, job_id, utcnow(), **values)

    report(status="running")
    progress(f"{list_name}: reading {source}")
    try:
        files = read_source(list_name, source, s3)
        progress(f"{list_name}: parsing {', '.join(sorted(files))}")
        parsed = PARSERS[list_name](files)
    except ListFileInvalid as exc:
        report(
            status="failed",
            error_file=exc.file,
            error_line=exc.line,
            error_reason=exc.reason,
            finished_at=utcnow(),
        )
        log.warning(
            "lists.ingest_refused", list=list_name, file=exc.file, line=exc.line
        )
        progress(f"{list_name}: refused: {exc}")
        return IngestResult(job_id, "failed", error=str(exc))
    except (SourceUnreadable, OSError) as exc:
        report(status="failed", error_reason=str(exc), finished_at=utcnow())
        progress(f"{list_name}: cannot read the source: {exc}")
        return IngestResult(job_id, "failed", error=str(exc))
    total = len(parsed.entries)
    report(total=total)
    progress(f"{list_name}: {total} entries parsed, sha256 {parsed.sha256[:12]}")
    try:
        return _store(engine, sessions, job_id, parsed, source, batch_size, progress)
    except Exception as exc:
        # The swap rolled back, so the live version is untouched; the job must
        # not stay "running".
        report(status="failed", error_reason=f"storing failed: {exc!r}"[:500])
        raise


def _store(
    engine: Engine,
    sessions: sessionmaker[Session],
    job_id: uuid.UUID,
    parsed: ParsedList,
    source: str,
    batch_size: int,
    progress: Progress,
) -> IngestResult:
    now = utcnow()
    total = len(parsed.entries)
    with transaction(sessions) as session:
        repository.lock_list(session, parsed.list)
        live = {r["list"]: r for r in repository.active_versions(session)}
        current = live.get(parsed.list)
        if current is not None and current["sha256"] == parsed.sha256:
            repository.confirm(session, current["id"], now)
            repository.update_job(
                session,
                job_id,
                now,
                status="unchanged",
                processed=total,
                version_id=current["id"],
                finished_at=now,
            )
            progress(
                f"{parsed.list}: unchanged, version {current['version']} confirmed"
            )
            return IngestResult(job_id, "unchanged", current["version"], total)
        version = parsed.version(now.date())
        version_id = repository.insert_version(session, parsed, version, source, now)
        for start in range(0, total, batch_size):
            batch = parsed.entries[start : start + batch_size]
            repository.insert_entries(session, version_id, batch)
            done = start + len(batch)
            # Progress goes through its own short transaction so that a reader
            # of the job sees it while this one is still open.
            with engine.begin() as conn:
                repository.update_job(conn, job_id, utcnow(), processed=done)
            progress(f"{parsed.list}: stored {done}/{total}")
        repository.activate(session, parsed.list, version_id)
        row = {
            "list": parsed.list,
            "version": version,
            "published_at": parsed.published_at,
            "loaded_at": now,
            "entry_count": total,
            "sha256": parsed.sha256,
        }
        emit(
            session,
            schema=SCHEMA,
            type="compliance.lists.refreshed",
            source=SERVICE,
            subject=parsed.list,
            data=refreshed_event(row),
        )
        repository.update_job(
            session,
            job_id,
            utcnow(),
            status="loaded",
            processed=total,
            version_id=version_id,
            finished_at=utcnow(),
        )
    log.info("lists.loaded", list=parsed.list, version=version, entries=total)
    progress(f"{parsed.list}: version {version} is live ({total} entries)")
    return IngestResult(job_id, "loaded", version, total)


def ingest(
    engine: Engine,
    sessions: sessionmaker[Session],
    list_name: ListName,
    source: str,
    *,
    s3: S3Factory,
    requested_by: str | None = None,
    batch_size: int = 1000,
    progress: Progress = lambda _: None,
) -> IngestResult:
    job_id = new_job(engine, list_name, source, requested_by)
    return run_job(
        engine,
        sessions,
        job_id,
        list_name,
        source,
        s3=s3,
        batch_size=batch_size,
        progress=progress,
    )
