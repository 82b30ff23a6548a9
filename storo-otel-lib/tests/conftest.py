from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from storo_otel import configure_tracing


@pytest.fixture(scope="session")
def _span_store() -> InMemorySpanExporter:
    # one tracer provider per process: every test shares it and reads its spans
    provider = configure_tracing("storo-otel-tests")
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return exporter


@pytest.fixture
def spans(_span_store: InMemorySpanExporter) -> Iterator[InMemorySpanExporter]:
    _span_store.clear()
    yield _span_store
    _span_store.clear()
