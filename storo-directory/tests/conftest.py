"""Fixtures: one migrated `directory` database per run, samples published once.

Each test runs inside a transaction rolled back at its end (the app's sessions join
it through savepoints), so tests see the bundled datasets and never each other.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from storo_platform.migrations import upgrade
from storo_testing.databases import (
    ServiceDatabase,
    create_service_database,
    drop_service_database,
)
from storo_testing.postgres import PostgresServer

from storo_directory.app import build_app
from storo_directory.catalog.cache import DatasetCatalog
from storo_directory.publishing import load_samples
from storo_directory.settings import DirectorySettings

PUBLISHER = {"X-Storo-Operator": "ops-1", "X-Storo-Roles": "directory_admin"}


def settings_for(url: str, **overrides: Any) -> DirectorySettings:
    return DirectorySettings(
        database_url=url, catalog_ttl_seconds=0, log_format="console", **overrides
    )


@pytest.fixture(scope="session")
def database(service_database_factory: Any) -> ServiceDatabase:
    found: ServiceDatabase = service_database_factory("directory")
    upgrade("storo_directory", found.url)
    load_samples(settings_for(found.url))
    return found


@pytest.fixture(scope="session")
def engine(database: ServiceDatabase) -> Iterator[Engine]:
    made = create_engine(database.url)
    yield made
    made.dispose()


@pytest.fixture(scope="session")
def app(database: ServiceDatabase, engine: Engine) -> FastAPI:
    return build_app(settings_for(database.url), engine=engine)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def sessions(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )


@pytest.fixture
def catalog(sessions: sessionmaker[Session]) -> DatasetCatalog:
    return DatasetCatalog(sessions, ttl_seconds=0)


@pytest.fixture
def client(
    app: FastAPI, sessions: sessionmaker[Session], catalog: DatasetCatalog
) -> Iterator[TestClient]:
    app.state.sessions = sessions
    app.state.catalog = catalog
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


class StatementCounter:
    """The queries run on the test's connection (savepoint bookkeeping left out)."""

    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, *args: Any) -> None:
        statement = str(args[2])
        if "SAVEPOINT" not in statement:
            self.statements.append(statement)


@pytest.fixture
def count_statements(connection: Connection) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(connection, "before_cursor_execute", counter)
    yield counter
    event.remove(connection, "before_cursor_execute", counter)


@pytest.fixture
def fresh_database(postgres: PostgresServer) -> Iterator[ServiceDatabase]:
    """An empty, unmigrated `directory` database of its own, for commits."""
    made = create_service_database(postgres, "directory")
    yield made
    drop_service_database(postgres, made)
