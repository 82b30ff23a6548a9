"""Fixtures: the migrated `compliance` database, the app, and sample files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from storo_platform.migrations import upgrade

from storo_compliance.app import build_app
from storo_compliance.cli import SAMPLE_SOURCES
from storo_compliance.db import make_engine, make_sessions
from storo_compliance.settings import ComplianceSettings

SAMPLES = Path(__file__).resolve().parents[1] / "src/storo_compliance/samples_data"
_NAMES = "list_entries list_versions ingest_jobs screenings rule_outs outbox"
TABLES = ", ".join(f"compliance.{t}" for t in _NAMES.split())


@pytest.fixture(scope="session")
def database(service_database_factory: Any) -> Any:
    db = service_database_factory("compliance")
    upgrade("storo_compliance", db.url)
    return db


@pytest.fixture(scope="session")
def engine(database: Any) -> Iterator[Engine]:
    made = make_engine(database.url)
    yield made
    made.dispose()


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    # Ingest commits in several transactions (progress, then the swap), so tests
    # start from empty tables rather than from a rolled-back savepoint.
    with engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    yield make_sessions(engine)


@pytest.fixture
def settings(database: Any) -> ComplianceSettings:
    return ComplianceSettings(database_url=database.url, aws_endpoint_url=None)


def no_s3() -> Any:
    raise AssertionError("this test reads no S3 source")


@pytest.fixture
def client(
    settings: ComplianceSettings, sessions: sessionmaker[Session]
) -> Iterator[TestClient]:
    with TestClient(build_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def loaded(engine: Engine, sessions: sessionmaker[Session]) -> dict[str, Any]:
    from storo_compliance.lists.service import ingest

    results = {}
    for name, path in SAMPLE_SOURCES.items():
        results[name] = ingest(engine, sessions, name, str(path), s3=no_s3)
    return results


def sample_files(name: str) -> dict[str, bytes]:
    path = SAMPLE_SOURCES[name]  # type: ignore[index]
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}
