"""SQL of the dataset versions: the only module that reads or writes them."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Column,
    DateTime,
    Identity,
    Integer,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

SCHEMA = "directory"
metadata = MetaData(schema=SCHEMA)

dataset_versions = Table(
    "dataset_versions",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("dataset", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("effective_from", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("record_count", Integer, nullable=False),
    Column("sha256", CHAR(64), nullable=False),
    Column("source", Text, nullable=False),
    Column("published_by", Text),
    Column("records", JSONB, nullable=False),
    UniqueConstraint("dataset", "version", name="dataset_versions_dataset_version_key"),
)


@dataclass(frozen=True)
class Header:
    """What is known of a version without its records."""

    dataset: str
    version: str
    effective_from: datetime
    published_at: datetime
    record_count: int
    sha256: str


_HEADER_COLUMNS = (
    dataset_versions.c.dataset,
    dataset_versions.c.version,
    dataset_versions.c.effective_from,
    dataset_versions.c.published_at,
    dataset_versions.c.record_count,
    dataset_versions.c.sha256,
)


def _header(row: Any) -> Header:
    return Header(
        dataset=row.dataset,
        version=row.version,
        effective_from=row.effective_from,
        published_at=row.published_at,
        record_count=row.record_count,
        sha256=row.sha256.strip(),
    )


def list_headers(session: Session) -> list[Header]:
    query = select(*_HEADER_COLUMNS).order_by(
        dataset_versions.c.dataset,
        dataset_versions.c.effective_from,
        dataset_versions.c.published_at,
    )
    return [_header(row) for row in session.execute(query)]


def find_header(session: Session, dataset: str, version: str) -> Header | None:
    query = select(*_HEADER_COLUMNS).where(
        dataset_versions.c.dataset == dataset, dataset_versions.c.version == version
    )
    row = session.execute(query).one_or_none()
    return _header(row) if row is not None else None


def load(
    session: Session, dataset: str, version: str
) -> tuple[Header, list[dict[str, Any]]] | None:
    query = select(*_HEADER_COLUMNS, dataset_versions.c.records).where(
        dataset_versions.c.dataset == dataset, dataset_versions.c.version == version
    )
    row = session.execute(query).one_or_none()
    return (_header(row), row.records) if row is not None else None


def latest_published_at(session: Session, dataset: str) -> datetime | None:
    query = select(func.max(dataset_versions.c.published_at)).where(
        dataset_versions.c.dataset == dataset
    )
    value: datetime | None = session.execute(query).scalar_one()
    return value


def lock_dataset(session: Session, dataset: str) -> None:
    """Serialise publishers of one dataset until the transaction ends."""
    session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
        {"key": f"{SCHEMA}.dataset.{dataset}"},
    )


def insert(
    session: Session,
    header: Header,
    records: Sequence[Mapping[str, Any]],
    *,
    source: str,
    published_by: str | None,
) -> None:
    session.execute(
        dataset_versions.insert().values(
            dataset=header.dataset,
            version=header.version,
            effective_from=header.effective_from,
            published_at=header.published_at,
            record_count=header.record_count,
            sha256=header.sha256,
            source=source,
            published_by=published_by,
            records=list(records),
        )
    )
