"""Helpers shared by the tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from storo_outbox import Consumer, emit

SCHEMA = "outboxtest"
TYPES = ("outboxtest.happened", "outboxtest.poison", "outboxtest.slow")


def validate_structure(envelope: dict[str, Any]) -> None:
    """The CloudEvents attributes every envelope needs (stands in for a spec)."""
    for name in ("specversion", "id", "source", "type", "subject", "data"):
        if name not in envelope:
            raise ValueError(f"envelope lacks {name}")


@dataclass
class Channel:
    """A topic and an inbox queue (with DLQ) of its own for one test."""

    topic_arn: str
    queue_url: str
    dlq_url: str
    sns: Any
    sqs: Any


def record_effect(session: Any, envelope: dict[str, Any]) -> None:
    """A handler whose effect is one row per call: a double effect shows."""
    session.execute(
        sa.text(
            f"INSERT INTO {SCHEMA}.effects (event_id, subject) VALUES (:id, :subject)"
        ),
        {"id": envelope["id"], "subject": envelope["subject"]},
    )


def make_consumer(engine: Engine, channel: Channel, **kwargs: Any) -> Consumer:
    kwargs.setdefault("handlers", {"outboxtest.happened": record_effect})
    kwargs.setdefault("validate", validate_structure)
    kwargs.setdefault("wait_seconds", 1)
    return Consumer(
        engine, schema=SCHEMA, sqs=channel.sqs, queue_url=channel.queue_url, **kwargs
    )


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until true; fail naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def scalar(engine: Engine, query: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(sa.text(query), params).scalar_one()


def emit_events(
    engine: Engine,
    subjects: list[str],
    type_: str = "outboxtest.happened",
) -> list[dict[str, Any]]:
    with Session(engine) as session, session.begin():
        return [
            emit(
                session,
                schema=SCHEMA,
                type=type_,
                source="storo-test",
                subject=subject,
                data={"n": n},
            )
            for n, subject in enumerate(subjects)
        ]
