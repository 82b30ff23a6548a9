"""The pytest plugin (registered through the ``pytest11`` entry point).

Fixtures, all session-scoped: ``postgres``, ``service_database_factory``, ``aws``,
``topology``. They start nothing until a test asks for them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from storo_testing.aws import CREDENTIALS, MotoServer
from storo_testing.databases import (
    ServiceDatabase,
    create_service_database,
    drop_service_database,
)
from storo_testing.postgres import PostgresServer, find_or_start

MakeServiceDatabase = Callable[[str], ServiceDatabase]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server with a superuser login (``.admin_url``)."""
    server = find_or_start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def service_database_factory(
    postgres: PostgresServer,
) -> Iterator[MakeServiceDatabase]:
    """``make(schema)``: a fresh database with role and schema ``schema``.

    One database per schema per test session (asking twice returns the same one);
    all of them are dropped at the end of the session.
    """
    made: dict[str, ServiceDatabase] = {}

    def make(schema: str) -> ServiceDatabase:
        if schema not in made:
            made[schema] = create_service_database(postgres, schema)
        return made[schema]

    try:
        yield make
    finally:
        for database in made.values():
            drop_service_database(postgres, database)


@pytest.fixture(scope="session")
def aws() -> Iterator[MotoServer]:
    """moto's server on a free port; the ``AWS_*`` variables point at it."""
    server = MotoServer()
    # AWS_ENDPOINT_URL also sends any boto3 client made without an explicit
    # endpoint to the emulator, so no test can reach a real AWS account.
    environment = {**CREDENTIALS, "AWS_ENDPOINT_URL": server.endpoint_url}
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update(environment)
    try:
        yield server
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def topology(aws: MotoServer) -> dict[str, str]:
    """The fleet topology of storo-specs, provisioned; names -> ARNs and URLs."""
    import storo_specs
    from storo_outbox.topology import provision

    document: dict[str, Any] = storo_specs.topology()
    return provision(aws.client("sns"), aws.client("sqs"), document)
