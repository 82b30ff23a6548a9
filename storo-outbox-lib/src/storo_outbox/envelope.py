"""CloudEvents 1.0 envelopes and writing them into the outbox."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from storo_outbox.tables import tables
from storo_outbox.tracing import current_traceparent

Envelope = dict[str, Any]

# SNS limits one message, and one PublishBatch call, to 256 KiB (body + attributes).
MAX_MESSAGE_BYTES = 262_144


class EnvelopeTooLarge(ValueError):
    """The envelope would not fit in one SNS message."""

    def __init__(self, size: int) -> None:
        super().__init__(f"the envelope is {size} bytes, above {MAX_MESSAGE_BYTES}")
        self.size = size


def message_body(envelope: Envelope) -> str:
    """The SNS message body of an envelope: its compact JSON."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def message_size(body: str, type_: str) -> int:
    """Bytes SNS counts for a message: the body plus the ``type`` attribute."""
    return len(body.encode()) + len("type") + len("String") + len(type_.encode())


def rfc3339(moment: datetime) -> str:
    """Format an aware datetime as RFC 3339 UTC with microseconds and ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_envelope(
    *,
    type: str,  # noqa: A002 - the CloudEvents attribute is called type
    source: str,
    subject: str,
    data: dict[str, Any],
    v: int = 1,
) -> Envelope:
    """Build a structured CloudEvents envelope with a fresh id and the time now.

    ``traceparent`` is taken from the current span and left out when there is none.
    """
    envelope: Envelope = {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": source,
        "type": type,
        "subject": subject,
        "time": rfc3339(datetime.now(UTC)),
        "datacontenttype": "application/json",
        "v": v,
    }
    traceparent = current_traceparent()
    if traceparent is not None:
        envelope["traceparent"] = traceparent
    envelope["data"] = data
    return envelope


def emit(
    session: Session,
    *,
    schema: str,
    type: str,  # noqa: A002 - the CloudEvents attribute is called type
    source: str,
    subject: str,
    data: dict[str, Any],
    v: int = 1,
) -> Envelope:
    """Write an event into ``schema.outbox`` inside the caller's transaction.

    Nothing is committed here: the event becomes visible to the relay exactly when the
    caller's state change commits, and vanishes with it on rollback.
    """
    envelope = make_envelope(type=type, source=source, subject=subject, data=data, v=v)
    emit_envelope(session, schema=schema, envelope=envelope)
    return envelope


def emit_envelope(session: Session, *, schema: str, envelope: Envelope) -> None:
    """Write an already built envelope into the outbox (same transaction rules).

    Raises :class:`EnvelopeTooLarge` when it could never be published, so the
    caller's transaction fails instead of leaving a row the relay cannot send.
    """
    size = message_size(message_body(envelope), envelope["type"])
    if size > MAX_MESSAGE_BYTES:
        raise EnvelopeTooLarge(size)
    outbox = tables(schema).outbox
    session.execute(
        outbox.insert().values(
            event_id=uuid.UUID(envelope["id"]),
            type=envelope["type"],
            subject=envelope["subject"],
            envelope=envelope,
        )
    )
