"""Writing several events into the outbox with one statement.

storo_outbox's ``emit`` inserts one row per call; an intake writes four events (three
status changes and the submission), and each round trip to PostgreSQL is paid inside
the intake's transaction. Envelopes are built with ``storo_outbox.make_envelope`` and
inserted together here, into the library's own ``outbox`` table (``tables(schema)``),
with exactly the columns its ``emit`` fills. The rows keep the order given, so the
relay publishes a transfer's events in the order they happened.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Insert
from sqlalchemy.orm import Session
from storo_outbox import tables


@cache
def _insert(schema: str) -> Insert:
    return tables(schema).outbox.insert()


def emit_all(
    session: Session, *, schema: str, envelopes: Sequence[dict[str, Any]]
) -> None:
    if not envelopes:
        return
    session.execute(
        _insert(schema),
        [
            {
                "event_id": uuid.UUID(envelope["id"]),
                "type": envelope["type"],
                "subject": envelope["subject"],
                "envelope": envelope,
            }
            for envelope in envelopes
        ],
    )
