import json
import sys
import types
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import (
    InMemorySpanExporter,
)
from prometheus_client import REGISTRY
from storo_platform.problems import NotFound
from storo_platform.settings import ServiceSettings

from storo_otel import create_app, current_traceparent, get_logger, specs_version

REMOTE_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
TRACEPARENT = f"00-{REMOTE_TRACE}-00f067aa0ba902b7-01"
METRIC = "storo_http_request_duration_seconds"


def build(
    *,
    readiness: Sequence[Callable[[], None]] = (),
    settings: ServiceSettings | None = None,
) -> tuple[FastAPI, str]:
    service = f"storo-test-{uuid.uuid4().hex[:8]}"
    app = create_app(
        service=service,
        version="1.4.2",
        settings=settings or ServiceSettings(),
        readiness=readiness,
        max_body_bytes=256,
    )
    log = get_logger("storo_test.transfers")

    @app.get("/v1/transfers/{transfer_id}")
    def read(transfer_id: str) -> dict[str, str | None]:
        log.info("transfer.read", transfer_id=transfer_id)
        return {"transfer_id": transfer_id, "traceparent": current_traceparent()}

    @app.get("/v1/gone/{transfer_id}")
    def gone(transfer_id: str) -> None:
        raise NotFound(f"no transfer {transfer_id}")

    @app.post("/v1/echo")
    def echo(body: dict[str, Any]) -> dict[str, Any]:
        return body

    @app.get("/v1/crash")
    def crash() -> None:
        raise RuntimeError("secret")

    return app, service


def observed(service: str, route: str, method: str, status: str) -> float | None:
    labels = {"service": service, "route": route, "method": method, "status": status}
    return REGISTRY.get_sample_value(f"{METRIC}_count", labels)


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def failing_check() -> None:
    raise ConnectionError("password=hunter2 host=db.internal")


def passing_check() -> None:
    return None


class TestHealth:
    def test_live_answers(self) -> None:
        app, _ = build()
        response = TestClient(app).get("/live")
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}

    def test_ready_runs_every_check(self) -> None:
        calls: list[str] = []

        def database() -> None:
            calls.append("database")

        def queue() -> None:
            calls.append("queue")

        app, _ = build(readiness=[database, queue])
        response = TestClient(app).get("/ready")
        assert response.status_code == 200
        assert response.json() == {
            "status": "ready",
            "checks": {"database": "ok", "queue": "ok"},
        }
        assert calls == ["database", "queue"]

    def test_failed_check_is_a_503_problem_naming_it(self) -> None:
        app, _ = build(readiness=[passing_check, failing_check])
        response = TestClient(app).get("/ready")
        assert response.status_code == 503
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert body["type"] == "https://storo.dev/problems/service-unavailable"
        assert body["check"] == "failing_check"
        assert body["failed"] == ["failing_check"]
        assert body["checks"] == {"passing_check": "ok", "failing_check": "failed"}
        assert "failing_check" in body["detail"]
        assert "hunter2" not in response.text

    def test_failed_check_is_logged_with_its_error(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        app, _ = build(readiness=[failing_check])
        TestClient(app).get("/ready")
        [line] = [
            line
            for line in json_lines(capsys.readouterr().out)
            if line["event"] == "ready.check_failed"
        ]
        assert line["check"] == "failing_check"
        assert "ConnectionError" in line["error"]

    def test_ready_without_checks_is_ready(self) -> None:
        app, _ = build()
        assert TestClient(app).get("/ready").json()["checks"] == {}


class TestVersion:
    def test_version_reports_service_revision_and_specs(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("STORO_GIT_REVISION", raising=False)
        app, service = build(settings=ServiceSettings(git_revision="abc1234"))
        body = TestClient(app).get("/version").json()
        assert body == {
            "service": service,
            "version": "1.4.2",
            "git_revision": "abc1234",
            "specs_version": specs_version(),
        }

    def test_revision_falls_back_to_the_image_variable(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("STORO_GIT_REVISION", "feedbee")
        app, _ = build()
        assert TestClient(app).get("/version").json()["git_revision"] == "feedbee"

    def test_specs_version_is_read_from_the_installed_package(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        specs = types.ModuleType("storo_specs")
        specs.VERSION = "1.3.0"  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "storo_specs", specs)
        app, _ = build()
        assert TestClient(app).get("/version").json()["specs_version"] == "1.3.0"

    def test_specs_version_is_null_without_storo_specs(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # None in sys.modules makes the import fail, as if it were not installed
        monkeypatch.setitem(sys.modules, "storo_specs", None)
        app, _ = build()
        assert TestClient(app).get("/version").json()["specs_version"] is None


class TestMetrics:
    def test_duration_is_labelled_by_route_template(self) -> None:
        app, service = build()
        client = TestClient(app)
        client.get("/v1/transfers/t-1")
        client.get("/v1/transfers/t-2")
        route = "/v1/transfers/{transfer_id}"
        assert observed(service, route, "GET", "200") == 2
        assert observed(service, "/v1/transfers/t-1", "GET", "200") is None

    def test_status_label_follows_the_response(self) -> None:
        app, service = build()
        client = TestClient(app)
        client.get("/v1/gone/t-9")
        client.post("/v1/echo", json={"a": 1})
        client.post("/v1/echo", json=[1])
        assert observed(service, "/v1/gone/{transfer_id}", "GET", "404") == 1
        assert observed(service, "/v1/echo", "POST", "200") == 1
        assert observed(service, "/v1/echo", "POST", "422") == 1

    def test_unrouted_requests_share_one_label(self) -> None:
        app, service = build()
        client = TestClient(app)
        client.get("/wp-admin/x")
        client.get("/.env")
        assert observed(service, "unmatched", "GET", "404") == 2

    def test_crash_is_counted_as_500(self) -> None:
        app, service = build()
        response = TestClient(app).get("/v1/crash")
        assert response.status_code == 500
        assert "secret" not in response.text
        assert observed(service, "/v1/crash", "GET", "500") == 1

    def test_metrics_route_exposes_prometheus_text(self) -> None:
        app, service = build()
        client = TestClient(app)
        client.get("/v1/transfers/t-1")
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert (
            f'{METRIC}_bucket{{le="0.005",method="GET",'
            f'route="/v1/transfers/{{transfer_id}}",service="{service}",status="200"}}'
        ) in response.text


class TestProblems:
    def test_problem_handlers_are_installed(self) -> None:
        app, _ = build()
        client = TestClient(app)
        response = client.post(
            "/v1/echo", content=b'{"a":', headers={"content-type": "application/json"}
        )
        assert response.status_code == 400
        assert response.json()["type"] == "https://storo.dev/problems/malformed-json"

    def test_body_limit_of_the_service_applies(self) -> None:
        app, service = build()
        response = TestClient(app).post("/v1/echo", json={"x": "y" * 300})
        assert response.status_code == 413
        assert observed(service, "unmatched", "POST", "413") == 1


class TestRequestTracing:
    def test_request_continues_the_callers_trace(
        self, spans: InMemorySpanExporter, capsys: pytest.CaptureFixture[str]
    ) -> None:
        app, _ = build()
        response = TestClient(app).get(
            "/v1/transfers/t-1", headers={"traceparent": TRACEPARENT}
        )
        traceparent = response.json()["traceparent"]
        assert traceparent.startswith(f"00-{REMOTE_TRACE}-")
        server = [
            s for s in spans.get_finished_spans() if s.kind == trace.SpanKind.SERVER
        ]
        [span] = server
        assert format(span.context.trace_id, "032x") == REMOTE_TRACE
        assert span.name == "GET /v1/transfers/{transfer_id}"
        [line] = [
            line
            for line in json_lines(capsys.readouterr().out)
            if line["event"] == "transfer.read"
        ]
        assert line["trace_id"] == REMOTE_TRACE
        assert line["transfer_id"] == "t-1"

    def test_access_line_names_the_route_and_status(
        self, spans: InMemorySpanExporter, capsys: pytest.CaptureFixture[str]
    ) -> None:
        app, service = build()
        TestClient(app).get("/v1/gone/t-2", headers={"traceparent": TRACEPARENT})
        [line] = [
            line
            for line in json_lines(capsys.readouterr().out)
            if line["event"] == "http.request"
        ]
        assert line["service"] == service
        assert line["route"] == "/v1/gone/{transfer_id}"
        assert line["status"] == 404
        assert line["method"] == "GET"
        assert line["trace_id"] == REMOTE_TRACE

    def test_health_routes_make_no_spans_and_no_access_lines(
        self, spans: InMemorySpanExporter, capsys: pytest.CaptureFixture[str]
    ) -> None:
        app, _ = build()
        client = TestClient(app)
        for path in ("/live", "/ready", "/metrics", "/version"):
            assert client.get(path).status_code == 200
        assert spans.get_finished_spans() == ()
        events = [line["event"] for line in json_lines(capsys.readouterr().out)]
        assert "http.request" not in events


class TestInstalledSpecs:
    def test_specs_version_is_the_installed_release(self) -> None:
        from importlib.metadata import version

        import storo_specs

        assert specs_version() == storo_specs.VERSION
        assert specs_version() == version("storo-specs")
