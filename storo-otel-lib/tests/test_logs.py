import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)

from storo_otel import configure_logging, get_logger


@pytest.fixture
def stream() -> Iterator[io.StringIO]:
    out = io.StringIO()
    configure_logging("storo-cts", stream=out)
    yield out
    configure_logging("storo-otel-tests")


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


class TestJsonLogs:
    def test_line_is_json_with_the_fleet_fields(self, stream: io.StringIO) -> None:
        get_logger("storo_cts.transfers").info(
            "transfer.submitted", transfer_id="t-1", amount_minor=12550
        )
        [line] = lines(stream)
        assert line["event"] == "transfer.submitted"
        assert line["level"] == "info"
        assert line["service"] == "storo-cts"
        assert line["logger"] == "storo_cts.transfers"
        assert line["transfer_id"] == "t-1"
        assert line["amount_minor"] == 12550
        assert line["timestamp"].endswith("Z")
        assert "trace_id" not in line

    def test_line_inside_a_span_carries_its_ids(
        self, stream: io.StringIO, spans: InMemorySpanExporter
    ) -> None:
        with trace.get_tracer("t").start_as_current_span("work") as span:
            get_logger("x").info("work.done")
        context = span.get_span_context()
        [line] = lines(stream)
        assert line["trace_id"] == format(context.trace_id, "032x")
        assert line["span_id"] == format(context.span_id, "016x")

    def test_standard_library_logs_are_rendered_alike(
        self, stream: io.StringIO, spans: InMemorySpanExporter
    ) -> None:
        with trace.get_tracer("t").start_as_current_span("work") as span:
            logging.getLogger("botocore.thing").warning(
                "retry %s of %s", 2, 5, extra={"queue": "storo-cts-inbox"}
            )
        [line] = lines(stream)
        assert line["event"] == "retry 2 of 5"
        assert line["level"] == "warning"
        assert line["logger"] == "botocore.thing"
        assert line["queue"] == "storo-cts-inbox"
        assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")

    def test_a_card_number_in_an_access_line_is_redacted(
        self, stream: io.StringIO
    ) -> None:
        # uvicorn's access line carries the raw path a client sent
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/v1/bins/4111111111111111",
            "1.1",
            400,
        )
        [line] = lines(stream)
        assert "4111111111111111" not in json.dumps(line)
        assert "/v1/bins/[card number redacted]" in line["event"]

    def test_exception_is_rendered_into_the_line(self, stream: io.StringIO) -> None:
        try:
            raise ValueError("bad amount")
        except ValueError:
            get_logger("x").exception("transfer.failed")
        [line] = lines(stream)
        assert line["level"] == "error"
        assert "ValueError: bad amount" in line["exception"]

    def test_level_filters_lines(self) -> None:
        out = io.StringIO()
        configure_logging("storo-cts", level="WARNING", stream=out)
        try:
            get_logger("x").info("chatty")
            get_logger("x").warning("important")
        finally:
            configure_logging("storo-otel-tests")
        assert [line["event"] for line in lines(out)] == ["important"]

    def test_reconfiguring_does_not_duplicate_lines(self) -> None:
        out = io.StringIO()
        configure_logging("storo-cts", stream=out)
        configure_logging("storo-cts", stream=out)
        try:
            get_logger("x").info("once")
        finally:
            configure_logging("storo-otel-tests")
        assert len(lines(out)) == 1


class TestConsoleLogs:
    def test_console_format_is_readable_text(self) -> None:
        out = io.StringIO()
        configure_logging("storo-cts", fmt="console", stream=out)
        try:
            get_logger("x").info("transfer.submitted", transfer_id="t-1")
        finally:
            configure_logging("storo-otel-tests")
        text = out.getvalue()
        assert "transfer.submitted" in text
        assert "transfer_id=t-1" in text
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


class TestStdout:
    def test_default_stream_is_the_current_stdout(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        configure_logging("storo-cts")
        get_logger("x").info("to.stdout")
        [line] = capsys.readouterr().out.splitlines()
        assert json.loads(line)["event"] == "to.stdout"
