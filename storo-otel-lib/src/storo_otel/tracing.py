"""OpenTelemetry tracing, and W3C trace context carried inside event envelopes.

A process has one tracer provider, named for its service. Spans are exported over
OTLP/HTTP only when an endpoint is configured; without one they still exist (so logs
carry trace ids and envelopes carry ``traceparent``) but leave the process nowhere.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from sqlalchemy.engine import Engine

__all__ = [
    "build_tracer_provider",
    "configure_tracing",
    "continue_trace",
    "current_traceparent",
    "instrument_engine",
    "traces_url",
]

_TRACES_PATH: Final = "/v1/traces"
_PROPAGATOR: Final = TraceContextTextMapPropagator()
_lock = threading.Lock()
_provider: TracerProvider | None = None
_exporting_to: set[str] = set()
_engines: weakref.WeakSet[Engine] = weakref.WeakSet()


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP traces URL for a collector base URL (``http://host:4318``).

    Following the OTLP exporter specification, ``/v1/traces`` is appended to a base
    URL; a URL that already ends with it is used as it is.
    """
    base = endpoint.rstrip("/")
    return base if base.endswith(_TRACES_PATH) else base + _TRACES_PATH


def build_tracer_provider(
    service: str, otlp_endpoint: str | None = None, *, version: str | None = None
) -> TracerProvider:
    """A tracer provider for ``service``; exports over OTLP/HTTP when given a URL."""
    attributes: dict[str, str] = {SERVICE_NAME: service}
    if version:
        attributes[SERVICE_VERSION] = version
    provider = TracerProvider(resource=Resource.create(attributes))
    if otlp_endpoint:
        exporter = OTLPSpanExporter(endpoint=traces_url(otlp_endpoint), timeout=5)
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def configure_tracing(
    service: str, otlp_endpoint: str | None = None, *, version: str | None = None
) -> TracerProvider:
    """Install the process's tracer provider (once) and instrument botocore.

    OpenTelemetry allows one global provider per process, so the first call names
    the service; a later call with a new endpoint adds an exporter to it.
    """
    global _provider
    with _lock:
        if _provider is None:
            _provider = build_tracer_provider(service, otlp_endpoint, version=version)
            trace.set_tracer_provider(_provider)
            if otlp_endpoint:
                _exporting_to.add(traces_url(otlp_endpoint))
            instrumentor = BotocoreInstrumentor()  # type: ignore[no-untyped-call]
            if not instrumentor.is_instrumented_by_opentelemetry:
                instrumentor.instrument(tracer_provider=_provider)
        elif otlp_endpoint and traces_url(otlp_endpoint) not in _exporting_to:
            url = traces_url(otlp_endpoint)
            _provider.add_span_processor(
                BatchSpanProcessor(OTLPSpanExporter(endpoint=url, timeout=5))
            )
            _exporting_to.add(url)
        return _provider


def instrument_engine(engine: Engine) -> None:
    """Trace every statement ``engine`` runs (idempotent per engine)."""
    # The instrumentor is a process-wide singleton that accepts one engine; the
    # per-engine tracer it builds is used directly so each engine can be added.
    from opentelemetry import metrics
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.instrumentation.sqlalchemy.version import __version__

    with _lock:
        if engine in _engines:
            return
        tracer = trace.get_tracer(
            "opentelemetry.instrumentation.sqlalchemy", __version__
        )
        meter = metrics.get_meter("opentelemetry.instrumentation.sqlalchemy")
        usage = meter.create_up_down_counter(
            name="db.client.connections.usage", unit="connections"
        )
        # the contrib package has no annotations; its constructor takes these three
        EngineTracer(tracer, engine, usage)  # type: ignore[no-untyped-call]
        _engines.add(engine)


def current_traceparent() -> str | None:
    """The W3C ``traceparent`` of the current span, or None outside a trace."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def continue_trace(
    traceparent: str | None,
    name: str,
    *,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[trace.Span]:
    """A consumer span named ``name`` under the remote parent ``traceparent``.

    A missing or malformed ``traceparent`` starts a new trace rather than failing:
    a consumer must handle an event whatever its producer sent.
    """
    context = _PROPAGATOR.extract({"traceparent": traceparent} if traceparent else {})
    tracer = trace.get_tracer("storo_otel")
    with tracer.start_as_current_span(
        name,
        context=context,
        kind=trace.SpanKind.CONSUMER,
        attributes=dict(attributes) if attributes else None,
    ) as span:
        yield span
