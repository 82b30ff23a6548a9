"""Real PostgreSQL (a service database) and real moto, from storo-testing-lib."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy.engine import Engine
from storo_testing import MotoServer, ServiceDatabase

from storo_outbox import create_tables, topology
from support import SCHEMA, TYPES, Channel


@pytest.fixture(scope="session")
def database(service_database_factory: Callable[[str], ServiceDatabase]) -> Any:
    db = service_database_factory(SCHEMA)
    engine = sa.create_engine(db.url)
    # The tables are created the way a service does it: from an Alembic migration,
    # connected as the service's own role.
    with engine.begin() as conn:
        create_tables(Operations(MigrationContext.configure(conn)), SCHEMA)
        conn.execute(
            sa.text(
                f"CREATE TABLE {SCHEMA}.effects (n bigserial PRIMARY KEY,"
                " event_id text NOT NULL, subject text NOT NULL)"
            )
        )
    engine.dispose()
    return db


@pytest.fixture(scope="session")
def engine(database: ServiceDatabase) -> Iterator[Engine]:
    engine = sa.create_engine(database.url, pool_size=10)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                f"TRUNCATE {SCHEMA}.outbox, {SCHEMA}.inbox,"
                f" {SCHEMA}.idempotency_keys, {SCHEMA}.effects"
            )
        )


@pytest.fixture
def channel(aws: MotoServer) -> Channel:
    name = f"storo-t{secrets.token_hex(4)}"
    document = {
        "topics": [f"{name}-events"],
        "queues": [{"name": f"{name}-inbox", "dead_letter_queue": f"{name}-inbox-dlq"}],
        "subscriptions": [
            {
                "topic": f"{name}-events",
                "queue": f"{name}-inbox",
                "raw_message_delivery": True,
                "filter_policy": {"type": list(TYPES)},
            }
        ],
    }
    sns, sqs = aws.client("sns"), aws.client("sqs")
    names = topology.provision(sns, sqs, document)
    return Channel(
        topic_arn=names[f"{name}-events"],
        queue_url=names[f"{name}-inbox"],
        dlq_url=names[f"{name}-inbox-dlq"],
        sns=sns,
        sqs=sqs,
    )
