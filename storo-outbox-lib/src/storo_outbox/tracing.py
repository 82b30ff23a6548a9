"""W3C trace context carried inside event envelopes.

Only the OpenTelemetry API is used: with no SDK configured every span is a no-op and
no ``traceparent`` is written, which is what the envelope contract allows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from opentelemetry import trace
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_propagator = TraceContextTextMapPropagator()
_tracer = trace.get_tracer("storo_outbox")


def current_traceparent() -> str | None:
    """The ``traceparent`` of the current span, or None when nothing is traced."""
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def consumer_span(envelope: dict[str, object]) -> Iterator[None]:
    """Run the handling of ``envelope`` in a span under the producer's trace."""
    traceparent = envelope.get("traceparent")
    carrier = {"traceparent": traceparent} if isinstance(traceparent, str) else {}
    context = _propagator.extract(carrier)
    with _tracer.start_as_current_span(
        f"consume {envelope.get('type')}",
        context=context,
        kind=trace.SpanKind.CONSUMER,
        attributes={
            "messaging.system": "aws_sqs",
            "messaging.message.id": str(envelope.get("id")),
        },
    ):
        yield
