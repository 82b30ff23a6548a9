"""Publishing dataset versions. Takes the caller's session and never commits."""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.orm import Session
from storo_outbox import emit

from storo_directory.catalog import repository
from storo_directory.catalog.errors import (
    ImportRefused,
    UnknownDataset,
    VersionConflict,
)
from storo_directory.catalog.kinds import KINDS, RowError
from storo_directory.catalog.parsing import (
    ImportFormat,
    RawImport,
    UnreadableImport,
    parse,
)
from storo_directory.catalog.repository import SCHEMA, Header
from storo_directory.catalog.validation import validate_rows
from storo_directory.timefmt import now, rfc3339

log = structlog.get_logger(__name__)

EVENT_TYPE = "directory.dataset.published"
EVENT_SOURCE = "storo-directory"
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class Published:
    header: Header
    created: bool


def canonical_sha256(records: Sequence[Mapping[str, Any]]) -> str:
    """The hash of a version: its sorted canonical records as compact JSON."""
    text = json.dumps(
        list(records), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _parse_moment(value: object) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else None
    return None


def _meta_errors(
    version: object, effective_from: object
) -> tuple[list[RowError], datetime | None]:
    errors = []
    if not isinstance(version, str) or not _VERSION.match(version):
        errors.append(
            RowError(
                0,
                "version",
                "not_a_version",
                f"version {version!r} must be 1-64 letters, digits, '.', '_' or '-'",
            )
        )
    moment = _parse_moment(effective_from)
    if effective_from is not None and moment is None:
        errors.append(
            RowError(
                0,
                "effective_from",
                "not_a_datetime",
                f"{effective_from!r} is not an RFC 3339 date-time with an offset",
            )
        )
    return errors, moment


def event_data(header: Header) -> dict[str, Any]:
    return {
        "dataset": header.dataset,
        "version": header.version,
        "effective_from": rfc3339(header.effective_from),
        "published_at": rfc3339(header.published_at),
        "record_count": header.record_count,
        "sha256": header.sha256,
    }


def publish_import(
    session: Session,
    *,
    dataset: str,
    body: bytes,
    fmt: ImportFormat,
    version: str | None = None,
    effective_from: datetime | str | None = None,
    source: str,
    published_by: str | None = None,
) -> Published:
    """Validate an import whole and publish it as one new immutable version.

    Arguments given here win over the `version` and `effective_from` a JSON
    document carries. Publishing the same records again under the same version is a
    no-op; other records under a published version are a conflict.
    """
    kind = KINDS.get(dataset)
    if kind is None:
        raise UnknownDataset(dataset)
    try:
        raw: RawImport = parse(body, fmt)
    except UnreadableImport as error:
        raise ImportRefused(dataset, error.errors) from None
    version = version if version is not None else raw.meta.get("version")
    wanted_from = (
        effective_from if effective_from is not None else raw.meta.get("effective_from")
    )
    errors, moment = _meta_errors(version, wanted_from)
    records, row_errors = validate_rows(kind, raw.rows)
    errors.extend(row_errors)
    if errors:
        log.info("directory.import.refused", dataset=dataset, problems=len(errors))
        raise ImportRefused(dataset, errors)
    assert isinstance(version, str)
    return _publish(
        session,
        dataset,
        version,
        records,
        effective_from=moment,
        source=source,
        published_by=published_by,
    )


def _publish(
    session: Session,
    dataset: str,
    version: str,
    records: list[dict[str, Any]],
    *,
    effective_from: datetime | None,
    source: str,
    published_by: str | None,
) -> Published:
    repository.lock_dataset(session, dataset)
    # Stamped under the lock, so publication times follow the order of commits and a
    # concurrent publisher is never mistaken for a backdated one.
    published_at = now()
    header = Header(
        dataset=dataset,
        version=version,
        effective_from=effective_from or published_at,
        published_at=published_at,
        record_count=len(records),
        sha256=canonical_sha256(records),
    )
    explicit_from = effective_from is not None
    existing = repository.find_header(session, header.dataset, header.version)
    if existing is not None:
        # Without an explicit effective-from a re-import means "the same version".
        same = existing.sha256 == header.sha256 and (
            not explicit_from or existing.effective_from == header.effective_from
        )
        if not same:
            raise VersionConflict(header.dataset, header.version)
        return Published(existing, created=False)
    last = repository.latest_published_at(session, header.dataset)
    if last is not None and header.effective_from < last:
        # A version effective before the last publication would rewrite answers
        # already given for that past; corrections take effect from now on.
        raise ImportRefused(
            header.dataset,
            [
                RowError(
                    0,
                    "effective_from",
                    "effective_in_the_past",
                    f"effective_from {rfc3339(header.effective_from)} is before the "
                    f"last publication of {header.dataset} ({rfc3339(last)})",
                )
            ],
        )
    repository.insert(
        session, header, records, source=source, published_by=published_by
    )
    emit(
        session,
        schema=SCHEMA,
        type=EVENT_TYPE,
        source=EVENT_SOURCE,
        subject=header.dataset,
        data=event_data(header),
    )
    log.info(
        "directory.dataset.published",
        dataset=header.dataset,
        version=header.version,
        record_count=header.record_count,
        sha256=header.sha256,
    )
    return Published(header, created=True)
