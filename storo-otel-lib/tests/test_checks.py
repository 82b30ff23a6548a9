"""Readiness checks and instrumentation against real PostgreSQL and moto's server."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from storo_platform.settings import ServiceSettings
from storo_testing.aws import TcpProxy

from storo_otel import create_app, database_check, instrument_engine, queue_check


@pytest.fixture(scope="module")
def database_url(service_database_factory: Any) -> str:
    return str(service_database_factory("otel_probe").url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    made = create_engine(database_url, connect_args={"connect_timeout": 3})
    yield made
    made.dispose()


@pytest.fixture(scope="module")
def sqs(aws: Any) -> Any:
    return aws.client("sqs")


@pytest.fixture(scope="module")
def queue_url(sqs: Any) -> str:
    return str(sqs.create_queue(QueueName="storo-otel-probe-inbox")["QueueUrl"])


def ready(*checks: Any) -> Any:
    app = create_app(
        service="storo-probe",
        version="1.0.0",
        settings=ServiceSettings(),
        readiness=checks,
    )
    return TestClient(app).get("/ready")


class TestDatabaseCheck:
    def test_reachable_database_is_ready(self, engine: Engine) -> None:
        response = ready(database_check(engine))
        assert response.status_code == 200
        assert response.json()["checks"] == {"database": "ok"}

    def test_database_going_away_and_back_flips_readiness(
        self, database_url: str
    ) -> None:
        url = make_url(database_url)
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
        proxied = url.set(host="127.0.0.1", port=proxy.port)
        engine = create_engine(proxied, connect_args={"connect_timeout": 3})
        check = database_check(engine)
        try:
            assert ready(check).status_code == 200
            proxy.stop()
            response = ready(check)
            assert response.status_code == 503
            assert response.json()["check"] == "database"
            assert str(url.password or "no-password") not in response.text
            proxy.start()
            assert ready(check).status_code == 200
        finally:
            engine.dispose()
            proxy.stop()

    def test_check_can_be_named(self, engine: Engine) -> None:
        response = ready(database_check(engine, name="ledger-db"))
        assert response.json()["checks"] == {"ledger-db": "ok"}


class TestQueueCheck:
    def test_existing_queue_is_ready(self, sqs: Any, queue_url: str) -> None:
        response = ready(queue_check(sqs, queue_url))
        assert response.status_code == 200
        assert response.json()["checks"] == {"queue": "ok"}

    def test_missing_queue_is_not_ready(self, sqs: Any, queue_url: str) -> None:
        missing = queue_url.replace("storo-otel-probe-inbox", "storo-nobody-inbox")
        response = ready(
            queue_check(sqs, queue_url, name="inbox"),
            queue_check(sqs, missing, name="dlq"),
        )
        assert response.status_code == 503
        body = response.json()
        assert body["check"] == "dlq"
        assert body["checks"] == {"inbox": "ok", "dlq": "failed"}


class TestInstrumentation:
    def test_statements_are_traced_under_the_current_span(
        self, engine: Engine, spans: InMemorySpanExporter
    ) -> None:
        instrument_engine(engine)
        instrument_engine(engine)  # a second call must not trace twice
        tracer = trace.get_tracer("t")
        with (
            tracer.start_as_current_span("request") as parent,
            engine.connect() as connection,
        ):
            connection.execute(text("SELECT 41 + 1")).scalar_one()
        statements = [
            s for s in spans.get_finished_spans() if s.kind == trace.SpanKind.CLIENT
        ]
        [span] = statements
        assert span.parent is not None
        assert span.parent.span_id == parent.get_span_context().span_id
        attributes = dict(span.attributes or {})
        statement = attributes.get("db.statement", attributes.get("db.query.text"))
        assert statement == "SELECT 41 + 1"

    def test_engine_not_instrumented_makes_no_spans(
        self, database_url: str, spans: InMemorySpanExporter
    ) -> None:
        plain = create_engine(database_url)
        try:
            with plain.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            plain.dispose()
        assert spans.get_finished_spans() == ()

    def test_aws_calls_are_traced(
        self, sqs: Any, queue_url: str, spans: InMemorySpanExporter
    ) -> None:
        sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])
        [span] = spans.get_finished_spans()
        assert span.kind == trace.SpanKind.CLIENT
        assert span.name == "SQS.GetQueueAttributes"
        assert dict(span.attributes or {})["rpc.service"] == "SQS"
