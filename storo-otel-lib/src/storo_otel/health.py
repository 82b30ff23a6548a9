"""Readiness checks: small callables that raise when a dependency is unreachable.

A check is any ``Callable[[], None]``; its ``__name__`` is the name ``/ready``
reports. The two every service needs are built here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

__all__ = ["Check", "check_name", "database_check", "queue_check"]

Check = Callable[[], None]


def check_name(check: Check) -> str:
    return str(getattr(check, "__name__", None) or type(check).__name__)


def database_check(engine: Engine, *, name: str = "database") -> Check:
    """Ready when ``engine`` can open a connection and run ``SELECT 1``."""

    def check() -> None:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1")).scalar_one()

    check.__name__ = name
    return check


def queue_check(sqs: Any, queue_url: str, *, name: str = "queue") -> Check:
    """Ready when the SQS queue at ``queue_url`` answers ``GetQueueAttributes``."""

    def check() -> None:
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])

    check.__name__ = name
    return check
