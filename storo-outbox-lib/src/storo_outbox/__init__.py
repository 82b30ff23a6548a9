"""Transactional outbox, inbox consumer and idempotency keys for Storo services."""

from storo_outbox import idempotency, metrics, topology
from storo_outbox.backoff import Backoff
from storo_outbox.consumer import (
    Consumer,
    DatabaseUnavailable,
    Handler,
    RetryLater,
    Validator,
)
from storo_outbox.envelope import (
    MAX_MESSAGE_BYTES,
    Envelope,
    EnvelopeTooLarge,
    emit,
    emit_envelope,
    make_envelope,
)
from storo_outbox.idempotency import (
    IdempotencyKeyInProgress,
    IdempotencyKeyReused,
    IdempotencyKeys,
    Replay,
    request_fingerprint,
)
from storo_outbox.relay import Relay
from storo_outbox.tables import Tables, create_tables, drop_tables, tables
from storo_outbox.tracing import current_traceparent
from storo_outbox.worker import Loop, run_loops

__version__ = "1.1.0"

__all__ = [
    "MAX_MESSAGE_BYTES",
    "Backoff",
    "Consumer",
    "DatabaseUnavailable",
    "Envelope",
    "EnvelopeTooLarge",
    "Handler",
    "IdempotencyKeyInProgress",
    "IdempotencyKeyReused",
    "IdempotencyKeys",
    "Loop",
    "Relay",
    "Replay",
    "RetryLater",
    "Tables",
    "Validator",
    "create_tables",
    "current_traceparent",
    "drop_tables",
    "emit",
    "emit_envelope",
    "idempotency",
    "make_envelope",
    "metrics",
    "request_fingerprint",
    "run_loops",
    "tables",
    "topology",
]
