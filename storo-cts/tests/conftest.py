"""Fixtures: a migrated ``cts`` database, the stand-in dependencies, a live CTS.

CTS runs for real under uvicorn on a free port, so every test goes through the
same HTTP stack, body limit, thread pool and connection pool as production.
"""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
import uvicorn
from sqlalchemy.engine import Engine

from storo_cts.app import build_app
from storo_cts.cli import migrate
from storo_cts.settings import CtsSettings
from tests.dependencies import Dependencies, start


@pytest.fixture(scope="session")
def database(service_database_factory: Any) -> Any:
    db = service_database_factory("cts")
    migrate(db.url)
    return db


@pytest.fixture(scope="session")
def engine(database: Any) -> Iterator[Engine]:
    engine = sa.create_engine(database.url, pool_size=10, max_overflow=10)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def admin(database: Any) -> Iterator[Engine]:
    """A superuser engine, for assertions on what was stored."""
    engine = sa.create_engine(database.admin_url, poolclass=sa.pool.NullPool)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def dependencies() -> Iterator[Dependencies]:
    deps = Dependencies()
    server = start(deps)
    yield deps
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _contract_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test leaves the stand-ins without a contract violation."""
    if "dependencies" not in request.fixturenames:
        yield
        return
    deps: Dependencies = request.getfixturevalue("dependencies")
    deps.reset()
    yield
    assert deps.violations == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def settings(database: Any, dependencies: Dependencies) -> CtsSettings:
    return CtsSettings(
        database_url=database.url,
        compliance_url=dependencies.url,
        directory_url=dependencies.url,
        compliance_timeout_seconds=0.3,
        directory_timeout_seconds=0.3,
        amount_limit="50000",
        amount_limits={"USDC": "10000"},
        log_format="console",
        log_level="WARNING",
    )


@pytest.fixture(scope="session")
def cts_url(settings: CtsSettings, engine: Engine) -> Iterator[str]:
    app = build_app(settings, engine)
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("CTS did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def client(cts_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=cts_url, timeout=10) as c:
        yield c


def party(name: str = "Thandi Nkosi", **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": name,
        "account": "ZA44000000012345678",
        "institution": "FIRNZAJJ",
        "country": "ZA",
        "type": "individual",
    }
    body.update(overrides)
    return body


def transfer_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "debtor": party(),
        "creditor": party(
            "Tendai Moyo", account="ZW1200000000987654", institution=None, country="ZW"
        ),
        "amount": {"amount": "125.50", "currency": "USD"},
        "reference": "INV-2026-0042",
        "purpose": "family support",
        "metadata": {"order": "42"},
    }
    body.update(overrides)
    return body


def new_key() -> str:
    return f"test-{uuid.uuid4()}"
