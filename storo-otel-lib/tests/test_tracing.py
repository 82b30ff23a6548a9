from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from storo_otel import continue_trace, current_traceparent
from storo_otel.tracing import build_tracer_provider, configure_tracing, traces_url

REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
REMOTE_SPAN = "00f067aa0ba902b7"
# an all-zero trace id is invalid by W3C Trace Context, section 3.2.2.3
ZERO_TRACE = f"00-{'0' * 32}-{REMOTE_SPAN}-01"
TRACEPARENT = f"00-{REMOTE_TRACE}-{REMOTE_SPAN}-01"


class TestExport:
    def test_spans_go_to_the_configured_collector(self, collector: Any) -> None:
        provider = build_tracer_provider("storo-cts", collector.url, version="1.2.3")
        with provider.get_tracer("t").start_as_current_span("transfer.submit"):
            pass
        assert provider.force_flush(10_000)
        provider.shutdown()
        [(path, content_type, body)] = collector.requests
        assert path == "/v1/traces"
        assert content_type == "application/x-protobuf"
        request = ExportTraceServiceRequest()
        request.ParseFromString(body)
        [resource_spans] = request.resource_spans
        attributes = {
            a.key: a.value.string_value for a in resource_spans.resource.attributes
        }
        assert attributes["service.name"] == "storo-cts"
        assert attributes["service.version"] == "1.2.3"
        names = [s.name for ss in resource_spans.scope_spans for s in ss.spans]
        assert names == ["transfer.submit"]

    def test_nothing_is_exported_without_an_endpoint(
        self, collector: Any, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # even the SDK's own variable must not turn export on behind our back
        monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", collector.url)
        provider = build_tracer_provider("storo-cts", None)
        with provider.get_tracer("t").start_as_current_span("quiet"):
            pass
        assert provider.force_flush(10_000)
        provider.shutdown()
        assert collector.requests == []

    @pytest.mark.parametrize(
        ("endpoint", "url"),
        [
            ("http://127.0.0.1:4318", "http://127.0.0.1:4318/v1/traces"),
            ("http://127.0.0.1:4318/", "http://127.0.0.1:4318/v1/traces"),
            ("http://c:4318/v1/traces", "http://c:4318/v1/traces"),
        ],
    )
    def test_base_url_gets_the_traces_path(self, endpoint: str, url: str) -> None:
        assert traces_url(endpoint) == url

    def test_process_provider_is_installed_once(
        self, spans: InMemorySpanExporter
    ) -> None:
        first = configure_tracing("storo-otel-tests")
        assert configure_tracing("another-name") is first
        assert trace.get_tracer_provider() is first


class TestTraceparent:
    def test_no_traceparent_outside_a_span(self) -> None:
        assert current_traceparent() is None

    def test_traceparent_names_the_current_span(
        self, spans: InMemorySpanExporter
    ) -> None:
        with trace.get_tracer("t").start_as_current_span("relay.publish") as span:
            context = span.get_span_context()
            flags = f"{context.trace_flags:02x}"
            expected = f"00-{context.trace_id:032x}-{context.span_id:016x}-{flags}"
            assert current_traceparent() == expected

    def test_consumer_span_continues_the_remote_trace(
        self, spans: InMemorySpanExporter
    ) -> None:
        with continue_trace(
            TRACEPARENT, "transfers.accepted consume", attributes={"a": "b"}
        ) as span:
            inside = current_traceparent()
        [finished] = spans.get_finished_spans()
        assert finished.context.span_id == span.get_span_context().span_id
        assert finished.name == "transfers.accepted consume"
        assert finished.kind == trace.SpanKind.CONSUMER
        assert format(finished.context.trace_id, "032x") == REMOTE_TRACE
        assert finished.parent is not None
        assert finished.parent.is_remote
        assert format(finished.parent.span_id, "016x") == REMOTE_SPAN
        assert finished.attributes == {"a": "b"}
        assert inside is not None
        assert inside.startswith(f"00-{REMOTE_TRACE}-")
        assert REMOTE_SPAN not in inside

    @pytest.mark.parametrize(
        "traceparent",
        [
            None,
            "",
            "garbage",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        ],
    )
    def test_missing_or_bad_traceparent_starts_a_new_trace(
        self, spans: InMemorySpanExporter, traceparent: str | None
    ) -> None:
        with continue_trace(traceparent, "consume"):
            pass
        [finished] = spans.get_finished_spans()
        assert finished.parent is None
        assert finished.context.trace_id != 0
        assert format(finished.context.trace_id, "032x") != REMOTE_TRACE

    def test_exception_in_the_consumer_is_recorded_and_raised(
        self, spans: InMemorySpanExporter
    ) -> None:
        with pytest.raises(RuntimeError), continue_trace(TRACEPARENT, "consume"):
            raise RuntimeError("handler failed")
        [finished] = spans.get_finished_spans()
        assert finished.status.status_code == trace.StatusCode.ERROR
        assert [e.name for e in finished.events] == ["exception"]
