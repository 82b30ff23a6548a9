"""SQL of list versions, entries and ingest jobs."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from storo_compliance.db import ingest_jobs, list_entries, list_versions
from storo_compliance.lists.model import ListEntry, ParsedList

_VERSION_COLUMNS = (
    list_versions.c.id,
    list_versions.c.list,
    list_versions.c.version,
    list_versions.c.publisher_version,
    list_versions.c.published_at,
    list_versions.c.loaded_at,
    list_versions.c.confirmed_at,
    list_versions.c.entry_count,
    list_versions.c.sha256,
    list_versions.c.source,
    list_versions.c.active,
)


def active_versions(session: Session | Connection) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(*_VERSION_COLUMNS)
        .where(list_versions.c.active)
        .order_by(list_versions.c.list)
    )
    return [dict(r._mapping) for r in rows]


def versions(session: Session, list_name: str) -> list[dict[str, Any]]:
    rows = session.execute(
        sa.select(*_VERSION_COLUMNS)
        .where(list_versions.c.list == list_name)
        .order_by(list_versions.c.id.desc())
    )
    return [dict(r._mapping) for r in rows]


def lock_list(session: Session, list_name: str) -> None:
    """Serialise ingests of one list (advisory lock for this transaction)."""
    session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
        {"key": f"storo-compliance:list:{list_name}"},
    )


def confirm(session: Session, version_id: int, at: datetime) -> None:
    session.execute(
        list_versions.update()
        .where(list_versions.c.id == version_id)
        .values(confirmed_at=at)
    )


def insert_version(
    session: Session, parsed: ParsedList, version: str, source: str, at: datetime
) -> int:
    return int(
        session.execute(
            list_versions.insert()
            .values(
                list=parsed.list,
                version=version,
                publisher_version=parsed.publisher_version,
                published_at=parsed.published_at,
                loaded_at=at,
                confirmed_at=at,
                entry_count=len(parsed.entries),
                sha256=parsed.sha256,
                files=parsed.files,
                source=source,
                active=False,
            )
            .returning(list_versions.c.id)
        ).scalar_one()
    )


def insert_entries(
    session: Session, version_id: int, entries: Sequence[ListEntry]
) -> None:
    session.execute(
        list_entries.insert(),
        [
            {
                "version_id": version_id,
                "entry_id": e.entry_id,
                "subject": e.subject,
                "primary_name": e.primary_name,
                "body": e.to_json(),
                "fingerprint": e.fingerprint(),
            }
            for e in entries
        ],
    )


def activate(session: Session, list_name: str, version_id: int) -> None:
    session.execute(
        list_versions.update()
        .where(list_versions.c.list == list_name, list_versions.c.active)
        .values(active=False)
    )
    session.execute(
        list_versions.update()
        .where(list_versions.c.id == version_id)
        .values(active=True)
    )


def entries_of(
    session: Session, version_ids: Iterable[int]
) -> list[tuple[int, dict[str, Any], str]]:
    rows = session.execute(
        sa.select(
            list_entries.c.version_id, list_entries.c.body, list_entries.c.fingerprint
        )
        .where(list_entries.c.version_id.in_(list(version_ids)))
        .order_by(list_entries.c.id)
    )
    return [(r.version_id, r.body, r.fingerprint) for r in rows]


def active_entry(
    session: Session, list_name: str, entry_id: str
) -> dict[str, Any] | None:
    row = session.execute(
        sa.select(list_entries.c.body, list_entries.c.fingerprint)
        .join(list_versions, list_versions.c.id == list_entries.c.version_id)
        .where(
            list_versions.c.active,
            list_versions.c.list == list_name,
            list_entries.c.entry_id == entry_id,
        )
    ).first()
    return dict(row._mapping) if row else None


# ingest jobs ---------------------------------------------------------------


def create_job(
    conn: Connection | Session,
    list_name: str,
    source: str,
    requested_by: str | None,
    at: datetime,
) -> uuid.UUID:
    job_id = uuid.uuid4()
    conn.execute(
        ingest_jobs.insert().values(
            id=job_id,
            list=list_name,
            source=source,
            status="queued",
            processed=0,
            requested_by=requested_by,
            created_at=at,
            updated_at=at,
        )
    )
    return job_id


def update_job(
    conn: Connection | Session, job_id: uuid.UUID, at: datetime, **values: Any
) -> None:
    conn.execute(
        ingest_jobs.update()
        .where(ingest_jobs.c.id == job_id)
        .values(updated_at=at, **values)
    )


def get_job(session: Session | Connection, job_id: uuid.UUID) -> dict[str, Any] | None:
    row = session.execute(
        sa.select(ingest_jobs).where(ingest_jobs.c.id == job_id)
    ).first()
    return dict(row._mapping) if row else None
